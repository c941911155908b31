import { sql, type Kysely } from 'kysely';
import type { Database, Meeting, MeetingsTable } from '@timeshift/shared/db/schema';
import type { Updateable } from 'kysely';
import { inAudience } from './audience.ts';

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
  agenda?: string | null;
  retentionDays?: number | null;
  publishedAt?: Date | null;
}

export type MeetingPatch = Updateable<MeetingsTable>;

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
          agenda: m.agenda ?? null,
          retention_days: m.retentionDays ?? null,
          published_at: m.publishedAt ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },
    async listForOrg(orgId: string): Promise<Meeting[]> {
      return db.selectFrom('meetings').selectAll().where('org_id', '=', orgId).orderBy('window_opens_at', 'desc').limit(500).execute();
    },
    /** The published meetings whose audience holds this person. */
    async listForAudience(orgId: string, userId: string): Promise<Meeting[]> {
      return db
        .selectFrom('meetings')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('published_at', 'is not', null)
        .where(inAudience(sql.ref('meetings.id'), userId))
        .orderBy('window_opens_at', 'desc')
        .limit(500)
        .execute();
    },
    /** Applies a change; a change of times bumps the schedule version that calendar invites carry. */
    async update(orgId: string, id: string, patch: MeetingPatch, options: { rescheduled: boolean }): Promise<Meeting | undefined> {
      return db
        .updateTable('meetings')
        .set({ ...patch, ...(options.rescheduled ? { schedule_version: sql<number>`schedule_version + 1` } : {}) })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },
    /** Publishes once; answers undefined when it was already published. */
    async publish(orgId: string, id: string, at: Date): Promise<Meeting | undefined> {
      return db
        .updateTable('meetings')
        .set({ published_at: at })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .where('published_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
    },
    /** The meeting and whether this person is in its audience, in one round trip: every playback and progress write asks. */
    async findForViewer(orgId: string, id: string, userId: string): Promise<(Meeting & { in_audience: boolean }) | undefined> {
      return db
        .selectFrom('meetings')
        .selectAll()
        .select(sql<boolean>`${inAudience(sql.ref('meetings.id'), userId)}`.as('in_audience'))
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    async find(orgId: string, id: string): Promise<Meeting | undefined> {
      return db.selectFrom('meetings').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    },
  };
}
export type MeetingsRepository = ReturnType<typeof meetingsRepository>;
