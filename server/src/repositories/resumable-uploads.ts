import type { Kysely } from 'kysely';
import type { Database, Upload } from '@timeshift/shared/db/schema';
import type { TalkState } from '@timeshift/shared/talk-state';

/** The rows behind tus uploads; the plain uploads repository keeps the one-request path. */
export function resumableUploadsRepository(db: Kysely<Database>) {
  return {
    async create(input: {
      orgId: string;
      talkId: string;
      uploadedBy: string;
      fileName: string | null;
      contentType: string | null;
      declaredBytes: number;
      previousTalkState: TalkState;
      at: Date;
    }): Promise<{ id: string }> {
      return db
        .insertInto('uploads')
        .values({
          org_id: input.orgId,
          talk_id: input.talkId,
          uploaded_by: input.uploadedBy,
          file_name: input.fileName,
          content_type: input.contentType,
          resumable: true,
          declared_bytes: input.declaredBytes,
          previous_talk_state: input.previousTalkState,
          last_activity_at: input.at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    },
    async find(orgId: string, talkId: string, id: string): Promise<Upload | undefined> {
      return db.selectFrom('uploads').selectAll().where('org_id', '=', orgId).where('talk_id', '=', talkId).where('id', '=', id).where('resumable', '=', true).executeTakeFirst();
    },
    async touch(id: string, at: Date): Promise<void> {
      await db.updateTable('uploads').set({ last_activity_at: at }).where('id', '=', id).where('state', '=', 'receiving').execute();
    },
    /** True for exactly one caller: the one that moved the upload out of `receiving`. */
    async leaveReceiving(id: string, to: 'stored' | 'aborted'): Promise<boolean> {
      const result = await db.updateTable('uploads').set({ state: to }).where('id', '=', id).where('state', '=', 'receiving').executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}
export type ResumableUploadsRepository = ReturnType<typeof resumableUploadsRepository>;
