import type { Clock } from '@timeshift/shared/clock';
import type { Meeting, Talk } from '@timeshift/shared/db/schema';
import { MAX_PRESIGN_SECONDS } from '@timeshift/shared/storage/s3';
import { AppError, errors } from '../errors.ts';
import type { MeetingsRepository } from '../repositories/meetings.ts';
import type { TalksRepository } from '../repositories/talks.ts';
import { phaseAt } from './meeting-phase.ts';
import { authorize, can, type Actor } from './policy.ts';
import { findTalk, isTalkStaff } from './talk-access.ts';

/** How long a preview by the talk's staff stays valid: they may watch at any time, so no window bounds it. */
const STAFF_PREVIEW_MS = 12 * 3600 * 1000;

export type ViewingGrant = { as: 'staff' | 'audience'; expiresAt: Date };
export type ViewedMeeting = Meeting & { in_audience: boolean };

/** Staff roles see every meeting of their org; everyone else only published meetings whose audience holds them. */
export function canSee(actor: Actor, meeting: ViewedMeeting): boolean {
  return can(actor, 'meeting.view_all') || (meeting.published_at !== null && meeting.in_audience);
}

/**
 * Who may see a meeting and who may watch its talks, and until when. The one place these rules live:
 * playback, progress and the meeting pages all ask here.
 */
export function meetingAccess(deps: { meetings: MeetingsRepository; talks: TalksRepository; clock: Clock }) {
  async function visibleMeeting(actor: Actor, id: string): Promise<ViewedMeeting> {
    authorize(actor, 'meeting.view');
    const meeting = await deps.meetings.findForViewer(actor.orgId, id, actor.userId);
    // A meeting someone may not see is answered like one that does not exist: its title is not theirs to learn.
    if (!meeting || !canSee(actor, meeting)) throw errors.notFound('That meeting');
    return meeting;
  }

  async function visibleTalk(actor: Actor, talkId: string): Promise<{ talk: Talk; meeting: ViewedMeeting }> {
    authorize(actor, 'meeting.view');
    const talk = await findTalk(deps.talks, actor, talkId);
    const meeting = await deps.meetings.findForViewer(actor.orgId, talk.meeting_id, actor.userId);
    if (!meeting || !(isTalkStaff(actor, talk) || canSee(actor, meeting))) throw errors.notFound('That talk');
    return { talk, meeting };
  }

  return {
    canSee,
    visibleMeeting,
    visibleTalk,
    /**
     * The talk's speaker, facilitators and admins preview at any time; the audience watches only while the
     * window is open, and never past its close.
     */
    async grantViewing(actor: Actor, talkId: string): Promise<{ talk: Talk; meeting: Meeting; grant: ViewingGrant }> {
      const { talk, meeting } = await visibleTalk(actor, talkId);
      const now = deps.clock.now();
      const cap = now.getTime() + MAX_PRESIGN_SECONDS * 1000;
      if (isTalkStaff(actor, talk)) {
        return { talk, meeting, grant: { as: 'staff', expiresAt: new Date(Math.min(cap, now.getTime() + STAFF_PREVIEW_MS)) } };
      }
      if (meeting.published_at === null || !meeting.in_audience) {
        throw new AppError('NOT_IN_AUDIENCE', 403, 'This meeting is for another audience. Ask the facilitator to add you.');
      }
      const phase = phaseAt(meeting, now);
      if (phase === 'scheduled') {
        throw new AppError('WINDOW_NOT_OPEN', 403, `This talk can be watched from ${meeting.window_opens_at.toISOString()}.`);
      }
      if (phase !== 'open') throw new AppError('WINDOW_CLOSED', 403, `The viewing window closed at ${meeting.window_closes_at.toISOString()}.`);
      return { talk, meeting, grant: { as: 'audience', expiresAt: new Date(Math.min(cap, meeting.window_closes_at.getTime())) } };
    },
  };
}
export type MeetingAccess = ReturnType<typeof meetingAccess>;
