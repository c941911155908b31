import type { Meeting } from '@timeshift/shared/db/schema';
import { errors } from '../errors.ts';
import type { MeetingsRepository } from '../repositories/meetings.ts';
import { authorize, type Actor } from './policy.ts';

/**
 * The meeting, if this person is in its audience. The one place that decides who may ask, vote and
 * join the room: for now everyone in the meeting's organisation; audiences per group replace this body.
 */
export async function meetingForAudience(meetings: MeetingsRepository, actor: Actor, meetingId: string): Promise<Meeting> {
  authorize(actor, 'meeting.view');
  const meeting = await meetings.find(actor.orgId, meetingId);
  if (!meeting) throw errors.notFound('That meeting');
  return meeting;
}
