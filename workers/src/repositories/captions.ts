// The caption task's access to the database.
import type { Kysely } from 'kysely';
import type { Database } from '@timeshift/shared/db/schema';
import type { Cue } from '../media/captions/segment.ts';

const INSERT_BATCH = 500;

export type AutomaticTrackOutcome = 'stored' | 'kept_speaker_track' | 'removed';

export function captionsRepository(db: Kysely<Database>) {
  return {
    /** Whether a speaker's own track (uploaded or edited) exists, in which case recognition is wasted work. */
    async hasSpeakerTrack(talkId: string, lang: string): Promise<boolean> {
      const row = await db.selectFrom('caption_tracks').select('source').where('talk_id', '=', talkId).where('lang', '=', lang).executeTakeFirst();
      return row !== undefined && row.source !== 'asr';
    },
    /**
     * Replaces the automatic track of one language in one transaction. A track a speaker uploaded or edited
     * is left exactly as it is: the conditional upsert touches no row unless the track is still automatic.
     */
    async replaceAutomaticTrack(input: { talkId: string; uploadId: string; lang: string; label: string; cues: readonly Cue[] }): Promise<AutomaticTrackOutcome> {
      return db.transaction().execute(async (trx) => {
        if (input.cues.length === 0) {
          const existing = await trx.selectFrom('caption_tracks').select('source').where('talk_id', '=', input.talkId).where('lang', '=', input.lang).forUpdate().executeTakeFirst();
          if (existing && existing.source !== 'asr') return 'kept_speaker_track';
          // No speech in the new recording: the old recording's automatic captions would be wrong.
          await trx.deleteFrom('caption_tracks').where('talk_id', '=', input.talkId).where('lang', '=', input.lang).where('source', '=', 'asr').execute();
          return 'removed';
        }
        const track = await trx
          .insertInto('caption_tracks')
          .values({ talk_id: input.talkId, lang: input.lang, label: input.label, source: 'asr', upload_id: input.uploadId })
          .onConflict((oc) =>
            oc
              .columns(['talk_id', 'lang'])
              .doUpdateSet({ label: input.label, upload_id: input.uploadId, updated_at: new Date() })
              .where('caption_tracks.source', '=', 'asr'),
          )
          .returning('id')
          .executeTakeFirst();
        if (!track) return 'kept_speaker_track';
        await trx.deleteFrom('caption_cues').where('track_id', '=', track.id).execute();
        const rows = input.cues.map((c, seq) => ({ track_id: track.id, seq, talk_id: input.talkId, start_sec: c.startSec, end_sec: c.endSec, text: c.text }));
        for (let i = 0; i < rows.length; i += INSERT_BATCH) await trx.insertInto('caption_cues').values(rows.slice(i, i + INSERT_BATCH)).execute();
        return 'stored';
      });
    },
  };
}
export type CaptionsRepository = ReturnType<typeof captionsRepository>;
