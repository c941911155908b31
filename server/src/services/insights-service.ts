import { errors } from '../errors.ts';
import type { ProgressRepository } from '../repositories/progress.ts';
import type { TalksRepository } from '../repositories/talks.ts';
import type { MeetingAccess } from './meeting-access.ts';
import { authorize, can, type Actor } from './policy.ts';
import { FINISHED_COMPLETION } from './watched-ranges.ts';

export const RETENTION_BUCKET_SEC = 10;

export function insightsService(deps: { access: MeetingAccess; progress: ProgressRepository; talks: TalksRepository }) {
  return {
    /** For the talk's speaker, facilitators and admins: who watched, how much, and where they dropped off. */
    async talk(actor: Actor, talkId: string) {
      const { talk } = await deps.access.visibleTalk(actor, talkId);
      if (talk.speaker_id !== actor.userId && !can(actor, 'talk.insights_any')) {
        throw errors.forbidden('Only the talk’s speaker, a facilitator or an admin can see who watched it.');
      }
      const totalSeconds = Math.max(1, Math.round(talk.duration_seconds ?? 0));
      const stats = await deps.progress.talkInsights(talk.id, totalSeconds, RETENTION_BUCKET_SEC);
      return {
        talkId: talk.id,
        durationSeconds: talk.duration_seconds ?? undefined,
        viewers: stats.viewers,
        averageCompletion: stats.averageCompletion,
        bucketSeconds: RETENTION_BUCKET_SEC,
        retention: stats.buckets.map((b) => ({
          startSec: b.index * RETENTION_BUCKET_SEC,
          viewers: b.viewers,
          share: stats.viewers === 0 ? 0 : b.viewers / stats.viewers,
          // Viewers who watched some of this bucket again: the parts worth a closer look.
          rewatchers: b.rewatchers,
        })),
      };
    },
    /** For facilitators and admins: each person of the audience and how far they got; who has not watched yet. */
    async meeting(actor: Actor, meetingId: string) {
      authorize(actor, 'meeting.insights');
      const meeting = await deps.access.visibleMeeting(actor, meetingId);
      const people = await deps.progress.audienceProgress(actor.orgId, meeting.id, FINISHED_COMPLETION);
      const talks = await deps.talks.listForMeeting(actor.orgId, meeting.id);
      const perTalk = await Promise.all(
        talks.map(async (t) => {
          const s = await deps.progress.talkInsights(t.id, Math.max(1, Math.round(t.duration_seconds ?? 0)), RETENTION_BUCKET_SEC);
          return { talkId: t.id, title: t.title, viewers: s.viewers, averageCompletion: s.averageCompletion };
        }),
      );
      const person = (p: (typeof people)[number]) => ({ id: p.id, name: p.name, email: p.email, talksStarted: p.talksStarted, talksFinished: p.talksFinished });
      return {
        meetingId: meeting.id,
        audienceSize: people.length,
        talks: perTalk,
        people: people.map(person),
        notWatched: people.filter((p) => p.talksStarted === 0).map(person),
        notFinished: people.filter((p) => p.talksFinished < p.talks).map(person),
      };
    },
  };
}
export type InsightsService = ReturnType<typeof insightsService>;
