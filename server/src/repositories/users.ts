import type { Kysely } from 'kysely';
import type { Database, Role } from '@timeshift/shared/db/schema';

export interface MemberRow {
  id: string;
  email: string;
  name: string;
  passwordHash: string | null;
  orgId: string;
  role: Role;
}

export function usersRepository(db: Kysely<Database>) {
  const memberQuery = () =>
    db
      .selectFrom('users')
      .innerJoin('memberships', 'memberships.user_id', 'users.id')
      .select([
        'users.id as id',
        'users.email as email',
        'users.name as name',
        'users.password_hash as passwordHash',
        'memberships.org_id as orgId',
        'memberships.role as role',
      ]);

  return {
    /** A person's first membership; a person belongs to one organisation at a time. */
    async findMemberByEmail(email: string): Promise<MemberRow | undefined> {
      return memberQuery().where('users.email', '=', email.toLowerCase()).orderBy('memberships.created_at').limit(1).executeTakeFirst();
    },
    async findMember(orgId: string, userId: string): Promise<MemberRow | undefined> {
      return memberQuery().where('memberships.org_id', '=', orgId).where('users.id', '=', userId).executeTakeFirst();
    },
    async findOrgByName(name: string): Promise<{ id: string } | undefined> {
      return db.selectFrom('orgs').select('id').where('name', '=', name).executeTakeFirst();
    },
    async createOrg(name: string): Promise<{ id: string }> {
      return db.insertInto('orgs').values({ name }).returning('id').executeTakeFirstOrThrow();
    },
    async createMember(input: { orgId: string; email: string; name: string; passwordHash: string; role: Role }): Promise<{ id: string }> {
      return db.transaction().execute(async (trx) => {
        const user = await trx
          .insertInto('users')
          .values({ email: input.email.toLowerCase(), name: input.name, password_hash: input.passwordHash })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.insertInto('memberships').values({ user_id: user.id, org_id: input.orgId, role: input.role }).execute();
        return user;
      });
    },
  };
}
export type UsersRepository = ReturnType<typeof usersRepository>;
