import { sql, type Kysely } from 'kysely';
import type { Database } from '@timeshift/shared/db/schema';

export function retentionRepository(db: Kysely<Database>) {
  return {
    /** Meetings whose Q&A ended more than their retention period ago and whose media is still stored. */
    async dueMeetings(now: Date): Promise<{ id: string; talkIds: string[] }[]> {
      const rows = await sql<{ id: string; talk_ids: string[] }>`
        select m.id, coalesce(array_agg(t.id) filter (where t.id is not null), '{}') as talk_ids
        from meetings m left join talks t on t.meeting_id = m.id
        where m.retention_days is not null and m.media_deleted_at is null
          and m.qa_starts_at + make_interval(mins => m.qa_duration_minutes) + make_interval(days => m.retention_days) <= ${now}
        group by m.id`.execute(db);
      return rows.rows.map((r) => ({ id: r.id, talkIds: r.talk_ids }));
    },
    /**
     * Marks the meeting's talks archived once their objects are gone. A talk still uploading or processing is
     * left for the next run, and the meeting counts as done only when none is left.
     */
    async archive(meetingId: string, now: Date): Promise<{ archived: number; pending: number }> {
      return db.transaction().execute(async (trx) => {
        const archived = await trx
          .updateTable('talks')
          .set({ state: 'archived', updated_at: now, playing_upload_id: null })
          .where('meeting_id', '=', meetingId)
          .where('state', 'in', ['draft', 'playable', 'ready', 'failed'])
          .executeTakeFirst();
        const pending = await trx.selectFrom('talks').select(sql<string>`count(*)`.as('n')).where('meeting_id', '=', meetingId).where('state', 'in', ['uploading', 'processing']).executeTakeFirstOrThrow();
        if (Number(pending.n) === 0) await trx.updateTable('meetings').set({ media_deleted_at: now }).where('id', '=', meetingId).execute();
        return { archived: Number(archived.numUpdatedRows), pending: Number(pending.n) };
      });
    },
  };
}
export type RetentionRepository = ReturnType<typeof retentionRepository>;
