import type { TalksRepository } from '../repositories/talks.ts';
import type { MeetingAccess } from './meeting-access.ts';
import { authorize, type Actor } from './policy.ts';

export function talkService(deps: { talks: TalksRepository; access: MeetingAccess }) {
  return {
    async get(actor: Actor, id: string) {
      authorize(actor, 'meeting.view');
      // Someone outside the meeting's audience is told the talk does not exist.
      const { talk } = await deps.access.visibleTalk(actor, id);
      const [renditions, captions] = await Promise.all([
        deps.talks.renditionsOf(talk.id, talk.playing_upload_id),
        deps.talks.captionTracksOf(talk.id),
      ]);
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
      };
    },
  };
}
export type TalkService = ReturnType<typeof talkService>;
