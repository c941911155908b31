import type { Talk } from '@timeshift/shared/db/schema';
import { errors } from '../errors.ts';
import type { TalksRepository } from '../repositories/talks.ts';
import { can, type Actor } from './policy.ts';

/** Loads a talk of the actor's organisation; another organisation's talk is simply not found. */
export async function findTalk(talks: TalksRepository, actor: Actor, id: string): Promise<Talk> {
  const talk = await talks.find(actor.orgId, id);
  if (!talk) throw errors.notFound('That talk');
  return talk;
}

/** The talk's own speaker, or a facilitator or admin. */
export function isTalkStaff(actor: Actor, talk: Talk): boolean {
  return talk.speaker_id === actor.userId || can(actor, 'talk.manage_any');
}

export function assertCanManage(actor: Actor, talk: Talk): void {
  if (!isTalkStaff(actor, talk)) throw errors.forbidden('Only the talk’s speaker, a facilitator or an admin can change this talk.');
}
