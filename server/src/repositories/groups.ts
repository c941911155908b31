import { sql, type Kysely } from 'kysely';
import type { Database, Group } from '@timeshift/shared/db/schema';

export function groupsRepository(db: Kysely<Database>) {
  return {
    async create(orgId: string, name: string): Promise<Group | undefined> {
      // The unique index on (org, lower(name)) decides duplicates, so two admins racing cannot both win.
      return db.insertInto('groups').values({ org_id: orgId, name }).onConflict((c) => c.doNothing()).returningAll().executeTakeFirst();
    },
    async list(orgId: string) {
      const rows = await db
        .selectFrom('groups')
        .leftJoin('group_members', 'group_members.group_id', 'groups.id')
        .select(['groups.id as id', 'groups.name as name', sql<string[]>`coalesce(array_agg(group_members.user_id) filter (where group_members.user_id is not null), '{}')`.as('memberIds')])
        .where('groups.org_id', '=', orgId)
        .groupBy(['groups.id', 'groups.name'])
        .orderBy('groups.name')
        .execute();
      return rows;
    },
    async find(orgId: string, id: string): Promise<Group | undefined> {
      return db.selectFrom('groups').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    },
    /** The ids among these that are groups of this org. */
    async existing(orgId: string, ids: string[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('groups').select('id').where('org_id', '=', orgId).where('id', 'in', ids).execute();
      return rows.map((r) => r.id);
    },
    async addMember(orgId: string, groupId: string, userId: string): Promise<void> {
      await db.insertInto('group_members').values({ org_id: orgId, group_id: groupId, user_id: userId }).onConflict((c) => c.doNothing()).execute();
    },
    async removeMember(orgId: string, groupId: string, userId: string): Promise<void> {
      await db.deleteFrom('group_members').where('org_id', '=', orgId).where('group_id', '=', groupId).where('user_id', '=', userId).execute();
    },
    async delete(orgId: string, id: string): Promise<boolean> {
      const r = await db.deleteFrom('groups').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
  };
}
export type GroupsRepository = ReturnType<typeof groupsRepository>;
