import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '@timeshift/shared/clock';
import type { Role } from '@timeshift/shared/db/schema';
import type { JobQueue } from '../adapters/queue.ts';
import type { PasswordHasher } from '../adapters/password.ts';
import { errors } from '../errors.ts';
import type { GroupsRepository } from '../repositories/groups.ts';
import type { InvitesRepository } from '../repositories/invites.ts';
import type { PeopleRepository } from '../repositories/people.ts';
import type { UsersRepository } from '../repositories/users.ts';
import { authorize, type Actor } from './policy.ts';

export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
export const MIN_PASSWORD_LENGTH = 10;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Organisation, people, groups and invitations: an admin's work. */
export function peopleService(deps: {
  people: PeopleRepository;
  groups: GroupsRepository;
  invites: InvitesRepository;
  users: UsersRepository;
  hasher: PasswordHasher;
  queue: JobQueue;
  clock: Clock;
  publicUrl: string;
}) {
  async function openInvite(token: string) {
    const invite = await deps.invites.findByTokenHash(hashToken(token));
    if (!invite || invite.revoked_at) throw errors.notFound('That invitation');
    if (invite.accepted_at) throw errors.conflict('INVITE_USED', 'This invitation was already used. Sign in with the password you chose, or ask your admin for a new invitation.');
    if (invite.expires_at <= deps.clock.now()) {
      throw errors.badRequest('INVITE_EXPIRED', 'This invitation has expired (they last 7 days). Ask your admin to invite you again.');
    }
    return invite;
  }

  async function groupsOfOrg(actor: Actor, ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    const found = await deps.groups.existing(actor.orgId, unique);
    const missing = unique.filter((id) => !found.includes(id));
    if (missing.length) throw errors.badRequest('UNKNOWN_GROUP', `These groups are not in your organisation: ${missing.join(', ')}.`);
    return unique;
  }

  return {
    async list(actor: Actor) {
      authorize(actor, 'people.view');
      return deps.people.list(actor.orgId);
    },
    async setRole(actor: Actor, userId: string, role: Role) {
      authorize(actor, 'people.manage');
      if (!(await deps.users.findMember(actor.orgId, userId))) throw errors.notFound('That person');
      if (!(await deps.people.setRole(actor.orgId, userId, role))) {
        throw errors.conflict('LAST_ADMIN', 'This is the organisation’s only admin. Make someone else an admin first.');
      }
      return (await deps.people.list(actor.orgId)).find((p) => p.id === userId)!;
    },

    async invite(actor: Actor, input: { email: string; name: string; role: Role; groupIds?: string[] }) {
      authorize(actor, 'people.manage');
      const email = input.email.trim().toLowerCase();
      const orgOf = await deps.people.orgOfEmail(email);
      if (orgOf === actor.orgId) throw errors.conflict('ALREADY_MEMBER', `${email} is already a member of your organisation.`);
      if (orgOf || (await deps.people.emailExists(email))) {
        throw errors.conflict('EMAIL_IN_OTHER_ORG', `${email} already has a Timeshift account in another organisation; a person belongs to one organisation.`);
      }
      const groupIds = await groupsOfOrg(actor, input.groupIds ?? []);
      const token = randomBytes(32).toString('base64url');
      const inviteUrl = `${deps.publicUrl}/invite/${token}`;
      const invite = await deps.invites.create({
        orgId: actor.orgId,
        email,
        name: input.name.trim(),
        role: input.role,
        groupIds,
        tokenHash: hashToken(token),
        invitedBy: actor.userId,
        expiresAt: new Date(deps.clock.now().getTime() + INVITE_TTL_MS),
        link: inviteUrl,
        orgName: await deps.people.orgName(actor.orgId),
      });
      await deps.queue.enqueue('mail_flush', {}, { jobKey: 'mail_flush' });
      // The link is shown to the admin too, to pass on by hand where email does not reach.
      return { id: invite.id, email, name: invite.name, role: invite.role, groupIds, expiresAt: invite.expires_at.toISOString(), inviteUrl };
    },
    async listInvites(actor: Actor) {
      authorize(actor, 'people.manage');
      const rows = await deps.invites.listOpen(actor.orgId, deps.clock.now());
      return rows.map((i) => ({ id: i.id, email: i.email, name: i.name, role: i.role, groupIds: i.group_ids, expiresAt: i.expires_at.toISOString() }));
    },
    /** What the invite page shows before the person sets a password. */
    async describeInvite(token: string) {
      const invite = await openInvite(token);
      return { email: invite.email, name: invite.name, role: invite.role, orgName: invite.org_name, expiresAt: invite.expires_at.toISOString() };
    },
    async acceptInvite(token: string, input: { password: string; name?: string }) {
      const invite = await openInvite(token);
      if (input.password.length < MIN_PASSWORD_LENGTH) {
        throw errors.badRequest('WEAK_PASSWORD', `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
      }
      const outcome = await deps.invites.accept(invite, await deps.hasher.hash(input.password), input.name?.trim() || invite.name, deps.clock.now());
      if (outcome === 'used') throw errors.conflict('INVITE_USED', 'This invitation was already used. Sign in with the password you chose.');
      return { email: invite.email };
    },

    async createGroup(actor: Actor, name: string) {
      authorize(actor, 'group.manage');
      const group = await deps.groups.create(actor.orgId, name.trim());
      if (!group) throw errors.conflict('GROUP_EXISTS', `There is already a group called "${name.trim()}".`);
      return { id: group.id, name: group.name, memberIds: [] as string[] };
    },
    async listGroups(actor: Actor) {
      authorize(actor, 'meeting.view');
      return deps.groups.list(actor.orgId);
    },
    async addToGroup(actor: Actor, groupId: string, userId: string) {
      authorize(actor, 'group.manage');
      if (!(await deps.groups.find(actor.orgId, groupId))) throw errors.notFound('That group');
      if (!(await deps.users.findMember(actor.orgId, userId))) throw errors.badRequest('UNKNOWN_PERSON', 'That person is not a member of your organisation.');
      await deps.groups.addMember(actor.orgId, groupId, userId);
    },
    async removeFromGroup(actor: Actor, groupId: string, userId: string) {
      authorize(actor, 'group.manage');
      if (!(await deps.groups.find(actor.orgId, groupId))) throw errors.notFound('That group');
      await deps.groups.removeMember(actor.orgId, groupId, userId);
    },
    async deleteGroup(actor: Actor, groupId: string) {
      authorize(actor, 'group.manage');
      if (!(await deps.groups.delete(actor.orgId, groupId))) throw errors.notFound('That group');
    },
  };
}
export type PeopleService = ReturnType<typeof peopleService>;
