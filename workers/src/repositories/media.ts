// The worker's only access to the database.
import type { Kysely } from 'kysely';
import type { Database, Talk, Upload } from '@timeshift/shared/db/schema';

export interface NewRendition {
  height: number;
  width: number;
  bandwidth: number;
  codecs: string;
  playlist: string;
}

export function mediaRepository(db: Kysely<Database>) {
  return {
    async load(talkId: string, uploadId: string): Promise<{ talk: Talk; upload: Upload } | undefined> {
      const talk = await db.selectFrom('talks').selectAll().where('id', '=', talkId).executeTakeFirst();
      const upload = await db.selectFrom('uploads').selectAll().where('id', '=', uploadId).where('talk_id', '=', talkId).executeTakeFirst();
      return talk && upload ? { talk, upload } : undefined;
    },
    /** The newest stored upload of a talk: an older one's job has been superseded. */
    async latestStoredUploadId(talkId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('uploads')
        .select('id')
        .where('talk_id', '=', talkId)
        .where('state', '=', 'stored')
        .orderBy('completed_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row?.id;
    },
    /** Records an expected outcome (unusable media) as the talk's state, with a reason a speaker can act on. */
    async fail(talkId: string, reason: string): Promise<void> {
      await db
        .updateTable('talks')
        .set({ state: 'failed', failure_reason: reason, updated_at: new Date() })
        .where('id', '=', talkId)
        .where('state', '=', 'processing')
        .execute();
    },
    /** Swaps in the new renditions and makes the talk playable in one transaction: a viewer sees old or new, never half. */
    async publish(talkId: string, uploadId: string, durationSeconds: number, renditions: NewRendition[]): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('renditions').where('upload_id', '=', uploadId).execute();
        await trx
          .insertInto('renditions')
          .values(renditions.map((r) => ({ talk_id: talkId, upload_id: uploadId, ...r })))
          .execute();
        const res = await trx
          .updateTable('talks')
          .set({ state: 'playable', playing_upload_id: uploadId, duration_seconds: durationSeconds, failure_reason: null, updated_at: new Date() })
          .where('id', '=', talkId)
          .where('state', '=', 'processing')
          .executeTakeFirst();
        return Number(res.numUpdatedRows) === 1;
      });
    },
  };
}
export type MediaRepository = ReturnType<typeof mediaRepository>;
