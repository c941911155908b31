import type { Clock } from '@timeshift/shared/clock';
import { errors } from '../errors.ts';
import type { ProgressRepository } from '../repositories/progress.ts';
import type { MeetingAccess } from './meeting-access.ts';
import type { Actor } from './policy.ts';
import { multirangeLiteral, normaliseReport, parseMultirange, type WatchReport } from './watched-ranges.ts';

export function progressService(deps: { access: MeetingAccess; progress: ProgressRepository; clock: Clock }) {
  return {
    /** Only someone who may watch the talk right now can report watching it. */
    async record(actor: Actor, talkId: string, report: WatchReport) {
      const { talk } = await deps.access.grantViewing(actor, talkId);
      if (!talk.duration_seconds) throw errors.conflict('NOT_PLAYABLE', `This talk cannot be watched yet (it is ${talk.state}).`);
      const clean = normaliseReport(report, talk.duration_seconds);
      const stored = await deps.progress.record({
        orgId: actor.orgId,
        talkId: talk.id,
        userId: actor.userId,
        ranges: multirangeLiteral(clean.ranges),
        positionSec: clean.positionSec,
        totalSeconds: clean.totalSeconds,
        at: deps.clock.now(),
      });
      return { completion: stored.completion, positionSec: stored.positionSec };
    },
    /** Where to resume and what was watched; reading one's own progress needs only sight of the talk. */
    async get(actor: Actor, talkId: string) {
      const { talk } = await deps.access.visibleTalk(actor, talkId);
      const stored = await deps.progress.find(talk.id, actor.userId);
      return { completion: stored?.completion ?? 0, positionSec: stored?.positionSec ?? 0, watched: stored ? parseMultirange(stored.watched) : [] };
    },
  };
}
export type ProgressService = ReturnType<typeof progressService>;
