// The worker's only access to the database.
import { sql, type Kysely } from 'kysely';
import type { JobName } from '@timeshift/shared/jobs';
import type { Database, MediaStep, StepState, StoryboardGeometry, Talk, Upload } from '@timeshift/shared/db/schema';

/** What publishing an upload sets in motion: its background steps, and the purge of the recording it replaces. */
export interface FollowUp {
  steps: { step: MediaStep; job: JobName }[];
  purgeAfterMs: number;
}

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
    /**
     * Swaps in the new renditions and makes the talk playable in one transaction, which also queues the
     * follow-up jobs: a viewer sees the old recording or the new one, never half, and a crash between the two
     * cannot leave a playable talk whose ladder was never queued. Returns the upload it replaced, if any.
     */
    async publish(talkId: string, uploadId: string, durationSeconds: number, renditions: NewRendition[], followUp: FollowUp): Promise<{ published: boolean; replaced: string | null }> {
      return db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('talks').select(['state', 'playing_upload_id']).where('id', '=', talkId).forUpdate().executeTakeFirst();
        if (before?.state !== 'processing') return { published: false, replaced: null };
        await trx.deleteFrom('renditions').where('upload_id', '=', uploadId).execute();
        await trx
          .insertInto('renditions')
          .values(renditions.map((r) => ({ talk_id: talkId, upload_id: uploadId, ...r })))
          .execute();
        await trx
          .updateTable('talks')
          .set({ state: 'playable', playing_upload_id: uploadId, duration_seconds: durationSeconds, failure_reason: null, updated_at: new Date() })
          .where('id', '=', talkId)
          .execute();
        const replaced = before.playing_upload_id && before.playing_upload_id !== uploadId ? before.playing_upload_id : null;
        if (followUp.steps.length > 0) {
          await trx
            .insertInto('talk_steps')
            .values(followUp.steps.map(({ step }) => ({ talk_id: talkId, upload_id: uploadId, step })))
            .onConflict((oc) => oc.columns(['upload_id', 'step']).doNothing())
            .execute();
        }
        const jobs = [
          ...followUp.steps.map(({ step, job }) => ({ job, payload: { talkId, uploadId }, key: `${step}:${uploadId}`, runAt: null as Date | null, maxAttempts: 3 })),
          ...(replaced ? [{ job: 'media_purge_upload' as JobName, payload: { talkId, uploadId: replaced }, key: `purge:${replaced}`, runAt: new Date(Date.now() + followUp.purgeAfterMs), maxAttempts: 5 }] : []),
        ];
        for (const j of jobs) {
          await sql`select graphile_worker.add_job(${j.job}, ${JSON.stringify(j.payload)}::json, job_key => ${j.key}, run_at => ${j.runAt}::timestamptz, max_attempts => ${j.maxAttempts})`.execute(trx);
        }
        return { published: true, replaced };
      });
    },
    /** The final peak bitrate of a rendition published while it was still being written. */
    async setRenditionBandwidth(uploadId: string, playlist: string, bandwidth: number): Promise<void> {
      await db.updateTable('renditions').set({ bandwidth }).where('upload_id', '=', uploadId).where('playlist', '=', playlist).execute();
    },
    /** A rendition that broke after it was published: the talk stops pointing at it and says why. */
    async failPublished(talkId: string, uploadId: string, reason: string): Promise<void> {
      await db
        .updateTable('talks')
        .set({ state: 'failed', failure_reason: reason, playing_upload_id: null, updated_at: new Date() })
        .where('id', '=', talkId)
        .where('playing_upload_id', '=', uploadId)
        .execute();
    },
    async playingUploadOf(talkId: string): Promise<string | null | undefined> {
      return (await db.selectFrom('talks').select('playing_upload_id').where('id', '=', talkId).executeTakeFirst())?.playing_upload_id;
    },
  };
}
export type MediaRepository = ReturnType<typeof mediaRepository>;

export function stepsRepository(db: Kysely<Database>) {
  return {
    async init(talkId: string, uploadId: string, steps: readonly MediaStep[]): Promise<void> {
      if (steps.length === 0) return;
      await db
        .insertInto('talk_steps')
        .values(steps.map((step) => ({ talk_id: talkId, upload_id: uploadId, step })))
        .onConflict((oc) => oc.columns(['upload_id', 'step']).doNothing())
        .execute();
    },
    async get(uploadId: string, step: MediaStep) {
      return db.selectFrom('talk_steps').selectAll().where('upload_id', '=', uploadId).where('step', '=', step).executeTakeFirst();
    },
    async update(uploadId: string, step: MediaStep, change: { state?: StepState; percent?: number; error?: string | null }): Promise<void> {
      await db
        .updateTable('talk_steps')
        .set({ ...change, updated_at: new Date() })
        .where('upload_id', '=', uploadId)
        .where('step', '=', step)
        .execute();
    },
    /**
     * Marks a step done and, when it was the last one for the upload that is playing, the talk `ready`,
     * in one transaction so that two steps finishing together cannot both miss it.
     */
    async complete(talkId: string, uploadId: string, step: MediaStep): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        await trx
          .updateTable('talk_steps')
          .set({ state: 'done', percent: 100, error: null, updated_at: new Date() })
          .where('upload_id', '=', uploadId)
          .where('step', '=', step)
          .execute();
        const talk = await trx.selectFrom('talks').select(['state', 'playing_upload_id']).where('id', '=', talkId).forUpdate().executeTakeFirst();
        const open = await trx.selectFrom('talk_steps').select('step').where('upload_id', '=', uploadId).where('state', '!=', 'done').execute();
        if (!talk || talk.playing_upload_id !== uploadId || talk.state !== 'playable' || open.length > 0) return false;
        await trx.updateTable('talks').set({ state: 'ready', updated_at: new Date() }).where('id', '=', talkId).where('state', '=', 'playable').execute();
        return true;
      });
    },
    async replaceRenditions(talkId: string, uploadId: string, renditions: NewRendition[]): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('renditions').where('upload_id', '=', uploadId).execute();
        await trx.insertInto('renditions').values(renditions.map((r) => ({ talk_id: talkId, upload_id: uploadId, ...r }))).execute();
      });
    },
    async saveAssets(talkId: string, uploadId: string, assets: { hasPoster?: boolean; storyboard?: StoryboardGeometry }): Promise<void> {
      const values = {
        upload_id: uploadId,
        talk_id: talkId,
        ...(assets.hasPoster !== undefined ? { has_poster: assets.hasPoster } : {}),
        ...(assets.storyboard ? { storyboard: JSON.stringify(assets.storyboard) } : {}),
      };
      const { upload_id: _u, talk_id: _t, ...update } = values;
      await db
        .insertInto('talk_assets')
        .values(values)
        .onConflict((oc) => (Object.keys(update).length ? oc.column('upload_id').doUpdateSet(update) : oc.column('upload_id').doNothing()))
        .execute();
    },
  };
}
export type StepsRepository = ReturnType<typeof stepsRepository>;
