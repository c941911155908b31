import type { Kysely } from 'kysely';
import type { Database, Role } from '@timeshift/shared/db/schema';

export interface SessionActor {
  userId: string;
  orgId: string;
  role: Role;
  email: string;
  name: string;
}

export function sessionsRepository(db: Kysely<Database>) {
  return {
    async create(input: { id: string; userId: string; orgId: string; expiresAt: Date }): Promise<void> {
      await db.insertInto('sessions').values({ id: input.id, user_id: input.userId, org_id: input.orgId, expires_at: input.expiresAt }).execute();
    },
    /** The session's person, with the role they hold now, not the one they held at sign-in. */
    async findActive(id: string, now: Date): Promise<SessionActor | undefined> {
      return db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .innerJoin('memberships', (j) => j.onRef('memberships.user_id', '=', 'sessions.user_id').onRef('memberships.org_id', '=', 'sessions.org_id'))
        .select(['users.id as userId', 'sessions.org_id as orgId', 'memberships.role as role', 'users.email as email', 'users.name as name'])
        .where('sessions.id', '=', id)
        .where('sessions.expires_at', '>', now)
        .executeTakeFirst();
    },
    async delete(id: string): Promise<void> {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
    },
  };
}
export type SessionsRepository = ReturnType<typeof sessionsRepository>;
