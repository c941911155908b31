import type { Kysely } from 'kysely';
import type { Database, Invite, Role } from '@timeshift/shared/db/schema';
import { outboxRepository } from './outbox.ts';

export function invitesRepository(db: Kysely<Database>) {
  return {
    /** Replaces any open invite for the address, and queues its email, in one transaction. */
    async create(input: { orgId: string; email: string; name: string; role: Role; groupIds: string[]; tokenHash: string; invitedBy: string; expiresAt: Date; link: string; orgName: string }): Promise<Invite> {
      return db.transaction().execute(async (trx) => {
        await trx
          .updateTable('invites')
          .set({ revoked_at: new Date() })
          .where('org_id', '=', input.orgId)
          .where('email', '=', input.email)
          .where('accepted_at', 'is', null)
          .where('revoked_at', 'is', null)
          .execute();
        const invite = await trx
          .insertInto('invites')
          .values({
            org_id: input.orgId,
            email: input.email,
            name: input.name,
            role: input.role,
            group_ids: input.groupIds,
            token_hash: input.tokenHash,
            invited_by: input.invitedBy,
            expires_at: input.expiresAt,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await outboxRepository(trx).enqueue({
          orgId: input.orgId,
          kind: 'invite',
          toEmail: input.email,
          toName: input.name,
          payload: { inviteId: invite.id, link: input.link, orgName: input.orgName },
          dedupeKey: `invite:${invite.id}`,
        });
        return invite;
      });
    },
    async findByTokenHash(tokenHash: string): Promise<(Invite & { org_name: string }) | undefined> {
      return db
        .selectFrom('invites')
        .innerJoin('orgs', 'orgs.id', 'invites.org_id')
        .selectAll('invites')
        .select('orgs.name as org_name')
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
    },
    async listOpen(orgId: string, now: Date): Promise<Invite[]> {
      return db
        .selectFrom('invites')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .execute();
    },
    /**
     * Creates the person from the invite exactly once: the invite is claimed first, so a link used twice,
     * even at the same moment, makes one account.
     */
    async accept(invite: Invite, passwordHash: string, name: string, now: Date): Promise<{ userId: string } | 'used'> {
      return db.transaction().execute(async (trx) => {
        const claimed = await trx
          .updateTable('invites')
          .set({ accepted_at: now })
          .where('id', '=', invite.id)
          .where('accepted_at', 'is', null)
          .where('revoked_at', 'is', null)
          .returning('id')
          .executeTakeFirst();
        if (!claimed) return 'used' as const;
        const user = await trx.insertInto('users').values({ email: invite.email, name, password_hash: passwordHash }).returning('id').executeTakeFirstOrThrow();
        await trx.insertInto('memberships').values({ user_id: user.id, org_id: invite.org_id, role: invite.role }).execute();
        const groups = await trx.selectFrom('groups').select('id').where('org_id', '=', invite.org_id).where('id', 'in', invite.group_ids.length ? invite.group_ids : ['00000000-0000-0000-0000-000000000000']).execute();
        if (groups.length) await trx.insertInto('group_members').values(groups.map((g) => ({ group_id: g.id, user_id: user.id, org_id: invite.org_id }))).execute();
        return { userId: user.id };
      });
    },
  };
}
export type InvitesRepository = ReturnType<typeof invitesRepository>;
