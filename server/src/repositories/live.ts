import { sql, type Kysely } from 'kysely';
import type { Database, LiveAudience, Meeting } from '@timeshift/shared/db/schema';
import { outboxRepository, type OutboxRepository } from './outbox.ts';
import { questionsRepository, type QuestionsRepository } from './questions.ts';

/** The channel every API process listens on; the payload carries ids and a sequence number, never content. */
export const LIVE_CHANNEL = 'timeshift_live';

export interface NewLiveEvent {
  type: string;
  audience: LiveAudience;
  payload: Record<string, unknown>;
}

export interface LiveEvent extends NewLiveEvent {
  seq: number;
}

/** What work done under a room's lock may touch. */
export interface RoomTx {
  meeting: Meeting;
  questions: QuestionsRepository;
  /** Mail written in the room's transaction, so it exists exactly when the change does. */
  outbox: OutboxRepository;
  setMeeting(patch: { currentQuestionId?: string | null; qaDurationMinutes?: number; requireApproval?: boolean; agendaFrozenAt?: Date }): Promise<Meeting>;
  /** Numbers the events with the room's next sequence numbers; listeners hear of them when the transaction commits. */
  emit(...events: NewLiveEvent[]): Promise<number>;
}

export function liveRepository(db: Kysely<Database>) {
  // Writes to one room queue here, in memory, rather than each holding a pooled connection while it
  // waits for the row lock: a burst of votes then cannot starve the pool for everything else.
  const queues = new Map<string, Promise<unknown>>();
  function queued<T>(meetingId: string, work: () => Promise<T>): Promise<T> {
    const before = queues.get(meetingId) ?? Promise.resolve();
    const mine = before.then(work, work);
    const tail = mine.catch(() => undefined);
    queues.set(meetingId, tail);
    void tail.then(() => {
      if (queues.get(meetingId) === tail) queues.delete(meetingId);
    });
    return mine;
  }

  return {
    /**
     * Runs work under the meeting's row lock. Every write to one room takes this lock first, so
     * sequence numbers have no gaps, commit in order, and no two writes deadlock each other.
     * Resolves to undefined when the meeting is not in this org.
     */
    async inRoom<T>(orgId: string, meetingId: string, work: (room: RoomTx) => Promise<T>): Promise<{ value: T; events: LiveEvent[] } | undefined> {
      return queued(meetingId, () => db.transaction().execute(async (tx) => {
        const locked = await tx.selectFrom('meetings').selectAll().where('org_id', '=', orgId).where('id', '=', meetingId).forUpdate().executeTakeFirst();
        if (!locked) return undefined;
        let meeting: Meeting = locked;
        const emitted: LiveEvent[] = [];
        const room: RoomTx = {
          meeting,
          questions: questionsRepository(tx),
          outbox: outboxRepository(tx),
          async setMeeting(patch) {
            meeting = await tx
              .updateTable('meetings')
              .set({
                ...(patch.currentQuestionId !== undefined ? { current_question_id: patch.currentQuestionId } : {}),
                ...(patch.qaDurationMinutes !== undefined ? { qa_duration_minutes: patch.qaDurationMinutes } : {}),
                ...(patch.requireApproval !== undefined ? { require_approval: patch.requireApproval } : {}),
                ...(patch.agendaFrozenAt !== undefined ? { agenda_frozen_at: patch.agendaFrozenAt } : {}),
              })
              .where('id', '=', meetingId)
              .returningAll()
              .executeTakeFirstOrThrow();
            room.meeting = meeting;
            return meeting;
          },
          async emit(...events) {
            if (events.length === 0) return emitted.at(-1)?.seq ?? Number(meeting.live_seq);
            // One round trip while the room is locked: number the events, store them, and notify.
            const { rows } = await sql<{ last: string }>`
              with numbered as (update meetings set live_seq = live_seq + ${events.length} where id = ${meetingId} returning live_seq),
              stored as (
                insert into live_events (meeting_id, seq, type, audience, payload)
                select ${meetingId}, numbered.live_seq - ${events.length} + e.ord, e.type, e.audience, e.payload::jsonb
                from numbered, unnest(${events.map((e) => e.type)}::text[], ${events.map((e) => e.audience)}::text[], ${events.map((e) => JSON.stringify(e.payload))}::text[])
                  with ordinality as e(type, audience, payload, ord)
              )
              select live_seq::text as last, pg_notify(${LIVE_CHANNEL}, json_build_object('m', ${meetingId}::text, 's', live_seq)::text) from numbered`.execute(tx);
            const last = Number(rows[0]!.last);
            const first = last - events.length + 1;
            emitted.push(...events.map((e, i) => ({ ...e, seq: first + i })));
            return last;
          },
        };
        const value = await work(room);
        return { value, events: emitted };
      }));
    },
    async currentSeq(meetingId: string): Promise<number> {
      const row = await db.selectFrom('meetings').select('live_seq').where('id', '=', meetingId).executeTakeFirst();
      return Number(row?.live_seq ?? 0);
    },
    async eventsAfter(meetingId: string, afterSeq: number, limit: number): Promise<LiveEvent[]> {
      const rows = await db
        .selectFrom('live_events')
        .select(['seq', 'type', 'audience', 'payload'])
        .where('meeting_id', '=', meetingId)
        .where('seq', '>', String(afterSeq) as never)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ seq: Number(r.seq), type: r.type, audience: r.audience, payload: r.payload }));
    },
    /** Reads a room's state and its sequence number from one consistent snapshot of the database. */
    async snapshot<T>(orgId: string, meetingId: string, read: (s: { meeting: Meeting; questions: QuestionsRepository }) => Promise<T>): Promise<T | undefined> {
      return db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (tx) => {
          const meeting = await tx.selectFrom('meetings').selectAll().where('org_id', '=', orgId).where('id', '=', meetingId).executeTakeFirst();
          if (!meeting) return undefined;
          return read({ meeting, questions: questionsRepository(tx) });
        });
    },
    /** Records how many people this process holds in a room, tells every process the total, and returns it. */
    async publishPresence(meetingId: string, nodeId: string, count: number): Promise<number> {
      if (count > 0) {
        await db
          .insertInto('live_presence')
          .values({ meeting_id: meetingId, node_id: nodeId, count, updated_at: sql<Date>`now()` })
          .onConflict((oc) => oc.columns(['meeting_id', 'node_id']).doUpdateSet({ count, updated_at: sql<Date>`now()` }))
          .execute();
      } else {
        await db.deleteFrom('live_presence').where('meeting_id', '=', meetingId).where('node_id', '=', nodeId).execute();
      }
      // Processes that stopped without saying goodbye stop counting once their row is ten minutes old.
      const { rows } = await sql<{ total: number }>`
        with total as (select coalesce(sum(count), 0)::int as n from live_presence where meeting_id = ${meetingId} and updated_at > now() - interval '10 minutes')
        select n as total, pg_notify(${LIVE_CHANNEL}, json_build_object('m', ${meetingId}::text, 'p', n)::text) from total`.execute(db);
      return rows[0]?.total ?? 0;
    },
    async forgetNode(nodeId: string): Promise<void> {
      await db.deleteFrom('live_presence').where('node_id', '=', nodeId).execute();
    },
  };
}
export type LiveRepository = ReturnType<typeof liveRepository>;
