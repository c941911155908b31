import type { Clock } from '@timeshift/shared/clock';
import { keys } from '@timeshift/shared/storage/keys';
import type { ObjectStorage } from '@timeshift/shared/storage/s3';
import type { TalksRepository } from '../repositories/talks.ts';
import type { MeetingAccess } from './meeting-access.ts';
import { authorize, type Actor } from './policy.ts';
import { findTalk } from './talk-access.ts';

const POSTER_URL_MS = 3600 * 1000;

export function talkService(deps: { talks: TalksRepository; access: MeetingAccess; storage: ObjectStorage; clock: Clock }) {
  return {
    async get(actor: Actor, id: string) {
      authorize(actor, 'meeting.view');
      // Someone outside the meeting's audience is told the talk does not exist.
      const { talk } = await deps.access.visibleTalk(actor, id);
      const [renditions, captions, steps, assets] = await Promise.all([
        deps.talks.renditionsOf(talk.id, talk.playing_upload_id),
        deps.talks.captionTracksOf(talk.id),
        deps.talks.stepsOf(talk.playing_upload_id),
        deps.talks.assetsOf(talk.playing_upload_id),
      ]);
      const now = deps.clock.now();
      // A poster is a preview image, not the talk itself: it may outlive the window by the hour it is valid.
      const posterUrl =
        assets?.has_poster && talk.playing_upload_id
          ? await deps.storage.presignGet(keys.poster(talk.id, talk.playing_upload_id), { now, expiresAt: new Date(now.getTime() + POSTER_URL_MS) })
          : undefined;
      return {
        id: talk.id,
        meetingId: talk.meeting_id,
        speakerId: talk.speaker_id ?? undefined,
        title: talk.title,
        description: talk.description ?? undefined,
        state: talk.state,
        failureReason: talk.failure_reason ?? undefined,
        durationSeconds: talk.duration_seconds ?? undefined,
        renditions: renditions.map((r) => ({ height: r.height, width: r.width, bandwidth: r.bandwidth })),
        captions: captions.map((c) => ({ lang: c.lang, label: c.label, source: c.source })),
        steps: steps.map((st) => ({ step: st.step, state: st.state, percent: st.percent, ...(st.error ? { error: st.error } : {}) })),
        ...(posterUrl ? { posterUrl } : {}),
      };
    },
  };
}
export type TalkService = ReturnType<typeof talkService>;
