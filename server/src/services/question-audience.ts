import type { Meeting } from '@timeshift/shared/db/schema';
import { errors } from '../errors.ts';
import type { MeetingsRepository } from '../repositories/meetings.ts';
import { canSee } from './meeting-access.ts';
import { authorize, type Actor } from './policy.ts';

/**
 * The meeting, if this person may see it (meeting-access.ts decides: staff, or the published meeting's
 * audience). The one place that decides who may ask, vote and join the room.
 */
export async function meetingForAudience(meetings: MeetingsRepository, actor: Actor, meetingId: string): Promise<Meeting> {
  authorize(actor, 'meeting.view');
  const meeting = await meetings.findForViewer(actor.orgId, meetingId, actor.userId);
  if (!meeting || !canSee(actor, meeting)) throw errors.notFound('That meeting');
  return meeting;
}
