import type { Kysely } from 'kysely';
import type { Database, Meeting } from '@timeshift/shared/db/schema';

export interface NewMeeting {
  orgId: string;
  title: string;
  description: string | null;
  windowOpensAt: Date;
  windowClosesAt: Date;
  qaStartsAt: Date;
  qaDurationMinutes: number;
  qaJoinUrl: string | null;
  createdBy: string;
}

export function meetingsRepository(db: Kysely<Database>) {
  return {
    async create(m: NewMeeting): Promise<Meeting> {
      return db
        .insertInto('meetings')
        .values({
          org_id: m.orgId,
          title: m.title,
          description: m.description,
          window_opens_at: m.windowOpensAt,
          window_closes_at: m.windowClosesAt,
          qa_starts_at: m.qaStartsAt,
          qa_duration_minutes: m.qaDurationMinutes,
          qa_join_url: m.qaJoinUrl,
          created_by: m.createdBy,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },
    async listForOrg(orgId: string): Promise<Meeting[]> {
      return db.selectFrom('meetings').selectAll().where('org_id', '=', orgId).orderBy('window_opens_at', 'desc').limit(500).execute();
    },
    async find(orgId: string, id: string): Promise<Meeting | undefined> {
      return db.selectFrom('meetings').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    },
  };
}
export type MeetingsRepository = ReturnType<typeof meetingsRepository>;
