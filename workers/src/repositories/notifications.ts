import { sql, type Kysely } from 'kysely';
import { inAudience } from '@timeshift/shared/db/audience';
import type { Database, Meeting, OutboxMail } from '@timeshift/shared/db/schema';

/** A claimed mail stays invisible to other workers this long; a worker that dies mid-send releases it by timing out. */
const LEASE = '2 minutes';
/** After this many failed sends a mail is parked as failed, with its last error, instead of retried forever. */
export const MAX_MAIL_ATTEMPTS = 8;

export interface ReminderTalk {
  title: string;
  completion: number;
}

export function notificationsRepository(db: Kysely<Database>) {
  return {
    /** Claims up to `limit` unsent mails; SKIP LOCKED lets several workers flush side by side without sharing a mail. */
    async claim(limit: number): Promise<OutboxMail[]> {
      const rows = await sql<OutboxMail>`
        update mail_outbox set locked_until = now() + ${LEASE}::interval, attempts = attempts + 1
        where id in (
          select id from mail_outbox
          where sent_at is null and failed_at is null and (locked_until is null or locked_until < now())
          order by created_at limit ${limit} for update skip locked)
        returning *`.execute(db);
      return rows.rows;
    },
    /** Marks a mail sent and forgets its one-time link: the outbox keeps no usable secret. */
    async markSent(id: string): Promise<void> {
      await sql`update mail_outbox set sent_at = now(), locked_until = null, last_error = null, payload = payload - 'link' where id = ${id}`.execute(db);
    },
    async markFailed(id: string, error: string, final: boolean): Promise<void> {
      await sql`update mail_outbox set last_error = ${error.slice(0, 1000)}, failed_at = ${final ? sql`now()` : sql`null`},
        locked_until = now() + least(attempts * attempts, 60) * interval '1 minute' where id = ${id}`.execute(db);
    },
    /** Published meetings with a notice due now: the hourly safety net re-runs them, and dedupe keys make that harmless. */
    async meetingsWithDueNotices(now: Date, reminderBeforeMs: number, qaNoticeBeforeMs: number): Promise<string[]> {
      const rows = await sql<{ id: string }>`
        select id from meetings
        where published_at is not null and (
          (window_closes_at - ${reminderBeforeMs} * interval '1 millisecond' between window_opens_at and ${now} and ${now} < window_closes_at)
          or (qa_starts_at - ${qaNoticeBeforeMs} * interval '1 millisecond' <= ${now} and ${now} < qa_starts_at))`.execute(db);
      return rows.rows.map((r) => r.id);
    },
    async meeting(id: string): Promise<(Meeting & { org_name: string }) | undefined> {
      return db.selectFrom('meetings').innerJoin('orgs', 'orgs.id', 'meetings.org_id').selectAll('meetings').select('orgs.name as org_name').where('meetings.id', '=', id).executeTakeFirst();
    },
    async talkTitles(meetingId: string): Promise<string[]> {
      return (await db.selectFrom('talks').select('title').where('meeting_id', '=', meetingId).orderBy('position').execute()).map((t) => t.title);
    },
    /** The person's talks still to watch, with how far they got. */
    async unfinishedTalks(meetingId: string, email: string, finishedAt: number): Promise<ReminderTalk[]> {
      const rows = await sql<ReminderTalk>`
        select t.title, coalesce(wp.completion, 0) as completion
        from talks t
        left join watch_progress wp on wp.talk_id = t.id and wp.user_id = (select id from users where email = ${email})
        where t.meeting_id = ${meetingId} and t.state in ('playable', 'ready') and coalesce(wp.completion, 0) < ${finishedAt}
        order by t.position`.execute(db);
      return rows.rows;
    },
    /**
     * Queues one notice per person of the audience, once: the dedupe key carries the meeting's current time for
     * the notice, so a rerun adds nothing and a moved window earns a fresh notice. With `onlyUnfinished`, people
     * who have watched every playable talk are left out.
     */
    async enqueueNotice(meeting: Meeting, kind: 'reminder_24h' | 'qa_soon', dedupePrefix: string, options: { onlyUnfinished: number | null }): Promise<number> {
      const unfinished = options.onlyUnfinished === null
        ? sql`true`
        : sql`exists (select 1 from talks t left join watch_progress wp on wp.talk_id = t.id and wp.user_id = u.id
                      where t.meeting_id = ${meeting.id} and t.state in ('playable', 'ready') and coalesce(wp.completion, 0) < ${options.onlyUnfinished})`;
      const result = await sql`
        insert into mail_outbox (org_id, kind, to_email, to_name, payload, dedupe_key)
        select ${meeting.org_id}::uuid, ${kind}, u.email, u.name, ${JSON.stringify({ meetingId: meeting.id })}::jsonb, ${dedupePrefix} || ':' || u.id
        from users u join memberships m on m.user_id = u.id and m.org_id = ${meeting.org_id}::uuid
        where ${inAudience(meeting.id, sql.ref('u.id'))} and ${unfinished}
        on conflict (dedupe_key) do nothing`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },
  };
}
export type NotificationsRepository = ReturnType<typeof notificationsRepository>;
