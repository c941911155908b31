import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/**
 * True when the user is in the meeting's audience: everyone in the org for an org-wide meeting,
 * otherwise the members of its chosen groups. One SQL predicate for the API's access checks and the
 * worker's mailing lists alike.
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
