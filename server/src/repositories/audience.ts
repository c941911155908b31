import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database, MeetingAudience } from '@timeshift/shared/db/schema';

export interface AudiencePerson {
  id: string;
  email: string;
  name: string;
}

/**
 * True when the user is in the meeting's audience: everyone in the org for an org-wide meeting,
 * otherwise the members of its chosen groups. One SQL predicate, shared by every query that needs it.
 */
export function inAudience(meetingId: Expression<string> | string, userId: Expression<string> | string): RawBuilder<SqlBool> {
  const m = typeof meetingId === 'string' ? sql`${meetingId}::uuid` : meetingId;
  const u = typeof userId === 'string' ? sql`${userId}::uuid` : userId;
  return sql<SqlBool>`(
    exists (select 1 from meetings am where am.id = ${m} and am.audience = 'org'
            and exists (select 1 from memberships amm where amm.org_id = am.org_id and amm.user_id = ${u}))
    or exists (select 1 from meeting_audience_groups mag join group_members gm on gm.group_id = mag.group_id
               where mag.meeting_id = ${m} and gm.user_id = ${u})
  )`;
}

export function audienceRepository(db: Kysely<Database>) {
  return {
    async contains(meetingId: string, userId: string): Promise<boolean> {
      const row = await db.selectNoFrom(inAudience(meetingId, userId).as('yes')).executeTakeFirstOrThrow();
      return Boolean(row.yes);
    },
    async groupIdsOf(meetingId: string): Promise<string[]> {
      const rows = await db.selectFrom('meeting_audience_groups').select('group_id').where('meeting_id', '=', meetingId).orderBy('group_id').execute();
      return rows.map((r) => r.group_id);
    },
    /** Replaces the meeting's audience; the caller has checked that the groups are the org's own. */
    async set(meetingId: string, audience: MeetingAudience, groupIds: string[]): Promise<void> {
      await db.updateTable('meetings').set({ audience }).where('id', '=', meetingId).execute();
      await db.deleteFrom('meeting_audience_groups').where('meeting_id', '=', meetingId).execute();
      if (audience === 'groups' && groupIds.length > 0) {
        await db.insertInto('meeting_audience_groups').values(groupIds.map((group_id) => ({ meeting_id: meetingId, group_id }))).execute();
      }
    },
    async members(orgId: string, meetingId: string): Promise<AudiencePerson[]> {
      return db
        .selectFrom('users')
        .innerJoin('memberships', 'memberships.user_id', 'users.id')
        .select(['users.id as id', 'users.email as email', 'users.name as name'])
        .where('memberships.org_id', '=', orgId)
        .where(inAudience(meetingId, sql.ref('users.id')))
        .orderBy('users.name')
        .execute();
    },
  };
}
export type AudienceRepository = ReturnType<typeof audienceRepository>;
