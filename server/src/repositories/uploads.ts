import type { Kysely } from 'kysely';
import type { Database } from '@timeshift/shared/db/schema';

export function uploadsRepository(db: Kysely<Database>) {
  return {
    async create(input: { orgId: string; talkId: string; uploadedBy: string; fileName: string | null; contentType: string | null }): Promise<{ id: string }> {
      return db
        .insertInto('uploads')
        .values({ org_id: input.orgId, talk_id: input.talkId, uploaded_by: input.uploadedBy, file_name: input.fileName, content_type: input.contentType })
        .returning('id')
        .executeTakeFirstOrThrow();
    },
    async markStored(id: string, sizeBytes: number, at: Date): Promise<void> {
      await db.updateTable('uploads').set({ state: 'stored', size_bytes: sizeBytes, completed_at: at }).where('id', '=', id).execute();
    },
    async markAborted(id: string): Promise<void> {
      await db.updateTable('uploads').set({ state: 'aborted' }).where('id', '=', id).execute();
    },
  };
}
export type UploadsRepository = ReturnType<typeof uploadsRepository>;
