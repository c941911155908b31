import { EventEmitter } from 'node:events';
import { makeWorkerUtils, run, type Logger, type TaskList, type WorkerEvents } from 'graphile-worker';
import type { Kysely } from 'kysely';
import type { Database } from '@timeshift/shared/db/schema';
import { startLiveness, type LivenessOptions } from './liveness.ts';

/** Jobs that keep a core busy for minutes. They get their own lane so that an upload never waits behind them. */
export const HEAVY_TASKS = new Set(['media_ladder', 'media_poster', 'media_storyboard', 'captions']);

export interface WorkerLanes {
  connectionString: string;
  db: Kysely<Database>;
  taskList: TaskList;
  liveness: LivenessOptions;
  /** ffmpeg already uses every core for one encode; more at once would only make each slower. */
  heavyConcurrency: number;
  /** Remuxes, mail and clean-up are mostly waiting on S3 and SMTP. */
  quickConcurrency: number;
  pollInterval: number;
  crontab?: string;
  /** Tests stop the runners themselves. */
  noHandleSignals?: boolean;
  logger?: Logger;
}

function pick(tasks: TaskList, heavy: boolean): TaskList {
  return Object.fromEntries(Object.entries(tasks).filter(([name]) => HEAVY_TASKS.has(name) === heavy));
}

/**
 * Two graphile-worker runners on one queue: a quick lane (first renditions, mail, clean-up, cron) and a
 * heavy lane (ladder, stills, captions). Each only fetches the jobs it has tasks for.
 */
export async function startWorkerLanes(o: WorkerLanes): Promise<{ promise: Promise<void>; stop(): Promise<void> }> {
  const events: WorkerEvents = new EventEmitter();
  const utils = await makeWorkerUtils({ connectionString: o.connectionString });
  const stopLiveness = startLiveness(o.db, events, utils, o.liveness, (m) => o.logger?.info(m));
  const common = { connectionString: o.connectionString, events, pollInterval: o.pollInterval, noHandleSignals: o.noHandleSignals, ...(o.logger ? { logger: o.logger } : {}) };
  const quick = await run({ ...common, concurrency: o.quickConcurrency, taskList: pick(o.taskList, false), ...(o.crontab ? { crontab: o.crontab } : {}) });
  const heavy = await run({ ...common, concurrency: o.heavyConcurrency, taskList: pick(o.taskList, true) });
  // Both a stop() and the runners' own end lead here; the utilities must be released once.
  let released: Promise<void> | undefined;
  const release = () =>
    (released ??= (async () => {
      await stopLiveness();
      await utils.release();
    })());
  return {
    promise: Promise.all([quick.promise, heavy.promise]).then(release),
    stop: async () => {
      await Promise.all([quick.stop(), heavy.stop()]);
      await release();
    },
  };
}
