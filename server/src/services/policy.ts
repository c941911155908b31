import type { Role } from '@timeshift/shared/db/schema';
import { errors } from '../errors.ts';

/** Who is asking: always scoped to one organisation. */
export interface Actor {
  userId: string;
  orgId: string;
  role: Role;
}

export type Action =
  | 'meeting.create'
  | 'meeting.view'
  | 'talk.create'
  | 'talk.create_for_others'
  | 'talk.manage_any'
  | 'talk.preview_any'
  | 'question.ask'
  | 'question.moderate'
  | 'live.run'
  | 'meeting.view_all'
  | 'meeting.update'
  | 'meeting.insights'
  | 'talk.insights_any'
  | 'people.view'
  | 'people.manage'
  | 'group.manage';

// The one table of which role may do what. Ownership rules (a speaker's own talk) live in the services.
const GRANTS: Record<Action, readonly Role[]> = {
  'meeting.create': ['admin', 'facilitator'],
  'meeting.view': ['admin', 'facilitator', 'speaker', 'member'],
  'talk.create': ['admin', 'facilitator', 'speaker'],
  'talk.create_for_others': ['admin', 'facilitator'],
  'talk.manage_any': ['admin', 'facilitator'],
  'talk.preview_any': ['admin', 'facilitator'],
  'question.ask': ['admin', 'facilitator', 'speaker', 'member'],
  // Approve, hide, merge, pin, and choose whether a meeting needs approval.
  'question.moderate': ['admin', 'facilitator'],
  // Run the live room: the current question and the timer.
  'live.run': ['admin', 'facilitator'],
  // Speakers see every meeting of their org, because they add their talks to meetings; members see their audience's.
  'meeting.view_all': ['admin', 'facilitator', 'speaker'],
  'meeting.update': ['admin', 'facilitator'],
  'meeting.insights': ['admin', 'facilitator'],
  'talk.insights_any': ['admin', 'facilitator'],
  'people.view': ['admin', 'facilitator'],
  'people.manage': ['admin'],
  'group.manage': ['admin'],
};

export function can(actor: Actor, action: Action): boolean {
  return GRANTS[action].includes(actor.role);
}

export function authorize(actor: Actor, action: Action): void {
  if (!can(actor, action)) throw errors.forbidden(`Your role (${actor.role}) cannot do this.`);
}
