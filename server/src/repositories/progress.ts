import { sql, type Kysely } from 'kysely';
import type { Database } from '@timeshift/shared/db/schema';
import { inAudience } from './audience.ts';

export interface StoredProgress {
  completion: number;
  positionSec: number;
  watched: string;
}

// The seconds in a stored multirange: the sum of its ranges' lengths.
const secondsOf = (multirange: ReturnType<typeof sql>) => sql<number>`(select coalesce(sum(upper(r) - lower(r)), 0) from unnest(${multirange}) r)`;

export function progressRepository(db: Kysely<Database>) {
  return {
    /** Merges the new ranges into what was watched before, in one statement, so concurrent reports never lose a range. */
    async record(input: { orgId: string; talkId: string; userId: string; ranges: string; positionSec: number; totalSeconds: number; at: Date }): Promise<StoredProgress> {
      const fresh = sql`${input.ranges}::int4multirange`;
      const merged = sql`(watch_progress.watched + excluded.watched)`;
      const row = await sql<{ completion: number; position_sec: number; watched: string }>`
        insert into watch_progress (talk_id, user_id, org_id, watched, watched_seconds, completion, position_sec, updated_at)
        values (${input.talkId}, ${input.userId}, ${input.orgId}, ${fresh}, ${secondsOf(fresh)},
                least(1, ${secondsOf(fresh)}::float8 / ${input.totalSeconds}), ${input.positionSec}, ${input.at})
        on conflict (talk_id, user_id) do update set
          watched = ${merged},
          rewatched = watch_progress.rewatched + (watch_progress.watched * excluded.watched),
          watched_seconds = ${secondsOf(merged)},
          completion = least(1, ${secondsOf(merged)}::float8 / ${input.totalSeconds}),
          position_sec = excluded.position_sec,
          updated_at = excluded.updated_at
        returning completion, position_sec, watched::text as watched`.execute(db);
      const r = row.rows[0]!;
      return { completion: r.completion, positionSec: r.position_sec, watched: r.watched };
    },
    async find(talkId: string, userId: string): Promise<StoredProgress | undefined> {
      const row = await db
        .selectFrom('watch_progress')
        .select(['completion', 'position_sec', sql<string>`watched::text`.as('watched')])
        .where('talk_id', '=', talkId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && { completion: row.completion, positionSec: row.position_sec, watched: row.watched };
    },
    async forTalks(userId: string, talkIds: string[]): Promise<Map<string, { completion: number; positionSec: number }>> {
      if (talkIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('watch_progress')
        .select(['talk_id', 'completion', 'position_sec'])
        .where('user_id', '=', userId)
        .where('talk_id', 'in', talkIds)
        .execute();
      return new Map(rows.map((r) => [r.talk_id, { completion: r.completion, positionSec: r.position_sec }]));
    },
    /** Viewers, their average completion, and per 10-s bucket the number of viewers who watched any of it. */
    async talkInsights(talkId: string, totalSeconds: number, bucketSec: number) {
      const summary = await db
        .selectFrom('watch_progress')
        .select([sql<string>`count(*)`.as('viewers'), sql<number | null>`avg(completion)`.as('average')])
        .where('talk_id', '=', talkId)
        .where('watched_seconds', '>', 0)
        .executeTakeFirstOrThrow();
      const buckets = Math.max(1, Math.ceil(totalSeconds / bucketSec));
      const curve = await sql<{ i: number; viewers: string; rewatchers: string }>`
        select b.i, count(wp.user_id) filter (where wp.watched && r.span) as viewers,
               count(wp.user_id) filter (where wp.rewatched && r.span) as rewatchers
        from generate_series(0, ${buckets - 1}) as b(i)
        cross join lateral (select int4range(b.i * ${bucketSec}, (b.i + 1) * ${bucketSec}) as span) r
        left join watch_progress wp on wp.talk_id = ${talkId} and wp.watched_seconds > 0
        group by b.i order by b.i`.execute(db);
      return {
        viewers: Number(summary.viewers),
        averageCompletion: summary.average ?? 0,
        buckets: curve.rows.map((r) => ({ index: r.i, viewers: Number(r.viewers), rewatchers: Number(r.rewatchers) })),
      };
    },
    /** Per person in the audience: how much of the meeting's playable talks they watched. */
    async audienceProgress(orgId: string, meetingId: string, finishedAt: number) {
      const rows = await sql<{ id: string; email: string; name: string; started: string; finished: string; talks: string }>`
        select u.id, u.email, u.name,
          (select count(*) from talks t join watch_progress wp on wp.talk_id = t.id and wp.user_id = u.id
           where t.meeting_id = ${meetingId} and wp.watched_seconds > 0) as started,
          (select count(*) from talks t join watch_progress wp on wp.talk_id = t.id and wp.user_id = u.id
           where t.meeting_id = ${meetingId} and wp.completion >= ${finishedAt}) as finished,
          (select count(*) from talks t where t.meeting_id = ${meetingId} and t.state in ('playable', 'ready')) as talks
        from users u join memberships m on m.user_id = u.id and m.org_id = ${orgId}
        where ${inAudience(meetingId, sql.ref('u.id'))}
        order by u.name`.execute(db);
      return rows.rows.map((r) => ({ id: r.id, email: r.email, name: r.name, talksStarted: Number(r.started), talksFinished: Number(r.finished), talks: Number(r.talks) }));
    },
  };
}
export type ProgressRepository = ReturnType<typeof progressRepository>;
