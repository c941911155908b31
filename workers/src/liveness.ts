import { sql, type Kysely } from 'kysely';
import type { WorkerEvents, WorkerUtils } from 'graphile-worker';
import type { Database } from '@timeshift/shared/db/schema';

export interface LivenessOptions {
  /** How often this process says it is alive. */
  beatMs: number;
  /** How long a silent worker is trusted before its jobs are given to others. */
  staleMs: number;
}

export const DEFAULT_LIVENESS: LivenessOptions = { beatMs: 10_000, staleMs: 60_000 };

/**
 * graphile-worker keeps a dead worker's job locked for hours. A worker killed mid-transcode would leave
 * the talk stuck, so every worker beats, and every worker unlocks the jobs of workers that stopped beating.
 * Call it before run() with the same `events`, so that no worker is created unseen.
 */
export function startLiveness(db: Kysely<Database>, events: WorkerEvents, utils: WorkerUtils, options: LivenessOptions, log: (m: string) => void): () => Promise<void> {
  const mine = new Set<string>();
  const beat = async () => {
    for (const id of mine) {
      await db.insertInto('worker_heartbeats').values({ worker_id: id }).onConflict((oc) => oc.column('worker_id').doUpdateSet({ seen_at: sql`now()` })).execute();
    }
  };
  const sweep = async () => {
    const stale = await db
      .deleteFrom('worker_heartbeats')
      .where('seen_at', '<', sql<Date>`now() - ${`${options.staleMs} milliseconds`}::interval`)
      .returning('worker_id')
      .execute();
    const ids = stale.map((r) => r.worker_id).filter((id) => !mine.has(id));
    if (ids.length > 0) {
      await utils.forceUnlockWorkers(ids);
      log(`unlocked the jobs of ${ids.length} silent worker(s): ${ids.join(', ')}`);
    }
  };
  // Jobs are locked in the name of the pool (and, in older versions, of each worker): beat for both.
  const join = (id: string) => {
    mine.add(id);
    void beat().catch(() => undefined);
  };
  const leave = (id: string) => {
    mine.delete(id);
    void db.deleteFrom('worker_heartbeats').where('worker_id', '=', id).execute().catch(() => undefined);
  };
  events.on('pool:create', ({ workerPool }) => join(workerPool.id));
  events.on('pool:release', ({ workerPool }) => leave(workerPool.id));
  events.on('worker:create', ({ worker }) => join(worker.workerId));
  events.on('worker:release', ({ worker }) => leave(worker.workerId));
  const timer = setInterval(() => {
    // A database hiccup must not kill the worker; the next tick tries again.
    void beat().then(sweep).catch((e: unknown) => log(`liveness: ${e instanceof Error ? e.message : String(e)}`));
  }, options.beatMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await db.deleteFrom('worker_heartbeats').where('worker_id', 'in', [...mine, '']).execute().catch(() => undefined);
  };
}

export function livenessFromEnv(env: NodeJS.ProcessEnv): LivenessOptions {
  return {
    beatMs: Number(env.WORKER_HEARTBEAT_MS) || DEFAULT_LIVENESS.beatMs,
    staleMs: Number(env.WORKER_STALE_MS) || DEFAULT_LIVENESS.staleMs,
  };
}
