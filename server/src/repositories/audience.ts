import { sql, type Kysely } from 'kysely';
import { inAudience } from '@timeshift/shared/db/audience';
import type { Database, MeetingAudience } from '@timeshift/shared/db/schema';

export interface AudiencePerson {
  id: string;
  email: string;
  name: string;
}

export { inAudience };

export function audienceRepository(db: Kysely<Database>) {
  return {
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
