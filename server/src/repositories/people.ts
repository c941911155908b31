import { sql, type Kysely } from 'kysely';
import type { Database, Role } from '@timeshift/shared/db/schema';

export function peopleRepository(db: Kysely<Database>) {
  return {
    async list(orgId: string) {
      return db
        .selectFrom('users')
        .innerJoin('memberships', 'memberships.user_id', 'users.id')
        .select([
          'users.id as id',
          'users.email as email',
          'users.name as name',
          'memberships.role as role',
          sql<string[]>`coalesce((select array_agg(gm.group_id) from group_members gm where gm.user_id = users.id and gm.org_id = ${orgId}), '{}')`.as('groupIds'),
        ])
        .where('memberships.org_id', '=', orgId)
        .orderBy('users.name')
        .limit(5000)
        .execute();
    },
    /** The organisation an address already belongs to, if any: one person, one organisation. */
    async orgOfEmail(email: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('users')
        .innerJoin('memberships', 'memberships.user_id', 'users.id')
        .select('memberships.org_id as orgId')
        .where('users.email', '=', email)
        .executeTakeFirst();
      return row?.orgId;
    },
    async orgName(orgId: string): Promise<string> {
      return (await db.selectFrom('orgs').select('name').where('id', '=', orgId).executeTakeFirstOrThrow()).name;
    },
    async emailExists(email: string): Promise<boolean> {
      return Boolean(await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst());
    },
    async setRole(orgId: string, userId: string, role: Role): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        // Locks the org's admins, so two demotions at once cannot leave the org without one.
        const admins = await trx.selectFrom('memberships').select('user_id').where('org_id', '=', orgId).where('role', '=', 'admin').forUpdate().execute();
        if (role !== 'admin' && admins.length === 1 && admins[0]!.user_id === userId) return false;
        await trx.updateTable('memberships').set({ role }).where('org_id', '=', orgId).where('user_id', '=', userId).execute();
        return true;
      });
    },
  };
}
export type PeopleRepository = ReturnType<typeof peopleRepository>;
