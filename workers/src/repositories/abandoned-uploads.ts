import type { Kysely } from 'kysely';
import type { Database, Upload } from '@timeshift/shared/db/schema';

/** Resumable uploads that stopped receiving bytes, and the talks they hold in `uploading`. */
export function abandonedUploadsRepository(db: Kysely<Database>) {
  return {
    async idleSince(cutoff: Date, limit: number): Promise<Upload[]> {
      return db
        .selectFrom('uploads')
        .selectAll()
        .where('state', '=', 'receiving')
        .where('resumable', '=', true)
        .where('last_activity_at', '<', cutoff)
        .orderBy('last_activity_at')
        .limit(limit)
        .execute();
    },
    /**
     * Marks the upload aborted and gives the talk back its earlier state, in one transaction, only if
     * no byte arrived since the upload was found idle.
     */
    async release(upload: Upload, cutoff: Date): Promise<boolean> {
      return db.transaction().execute(async (tx) => {
        const result = await tx
          .updateTable('uploads')
          .set({ state: 'aborted' })
          .where('id', '=', upload.id)
          .where('state', '=', 'receiving')
          .where('last_activity_at', '<', cutoff)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) return false;
        await tx
          .updateTable('talks')
          .set({ state: upload.previous_talk_state ?? 'draft', updated_at: new Date() })
          .where('id', '=', upload.talk_id)
          .where('state', '=', 'uploading')
          .execute();
        return true;
      });
    },
  };
}
export type AbandonedUploadsRepository = ReturnType<typeof abandonedUploadsRepository>;
