import { sql, type Kysely } from 'kysely';
import type { CaptionSource, Database } from '@timeshift/shared/db/schema';

export interface CueRow {
  startSec: number;
  endSec: number;
  text: string;
}

const INSERT_BATCH = 500;

// Every query joins the talk and checks its organisation: a caption is never read across tenants.
export function captionsRepository(db: Kysely<Database>) {
  return {
    async tracksOf(orgId: string, talkId: string) {
      return db
        .selectFrom('caption_tracks')
        .innerJoin('talks', 'talks.id', 'caption_tracks.talk_id')
        .select(['caption_tracks.id', 'caption_tracks.lang', 'caption_tracks.label', 'caption_tracks.source', 'caption_tracks.updated_at'])
        .where('talks.org_id', '=', orgId)
        .where('caption_tracks.talk_id', '=', talkId)
        .orderBy('caption_tracks.lang')
        .execute();
    },

    /** The cues of one track in time order; with `query`, only those matching it (Postgres full-text search). */
    async cues(orgId: string, trackId: string, query?: string): Promise<CueRow[]> {
      let q = db
        .selectFrom('caption_cues')
        .innerJoin('talks', 'talks.id', 'caption_cues.talk_id')
        .select(['caption_cues.start_sec as startSec', 'caption_cues.end_sec as endSec', 'caption_cues.text'])
        .where('talks.org_id', '=', orgId)
        .where('caption_cues.track_id', '=', trackId);
      // websearch syntax takes what people type ("quarterly numbers", "-draft", quoted phrases) without errors.
      if (query !== undefined) q = q.where(sql<boolean>`caption_cues.search @@ websearch_to_tsquery('english', ${query})`);
      return q.orderBy('caption_cues.seq').execute();
    },

    /** Replaces a track's cues and marks where they came from, in one transaction: readers see old or new. */
    async replaceTrack(input: { talkId: string; lang: string; label: string; source: CaptionSource; cues: readonly CueRow[] }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const track = await trx
          .insertInto('caption_tracks')
          .values({ talk_id: input.talkId, lang: input.lang, label: input.label, source: input.source })
          .onConflict((oc) => oc.columns(['talk_id', 'lang']).doUpdateSet({ label: input.label, source: input.source, updated_at: new Date() }))
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.deleteFrom('caption_cues').where('track_id', '=', track.id).execute();
        const rows = input.cues.map((c, seq) => ({ track_id: track.id, seq, talk_id: input.talkId, start_sec: c.startSec, end_sec: c.endSec, text: c.text }));
        for (let i = 0; i < rows.length; i += INSERT_BATCH) await trx.insertInto('caption_cues').values(rows.slice(i, i + INSERT_BATCH)).execute();
      });
    },
  };
}
export type CaptionsRepository = ReturnType<typeof captionsRepository>;
