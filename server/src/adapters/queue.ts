import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import type { JobName, JobPayloads } from '@timeshift/shared/jobs';

export interface JobQueue {
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options?: { jobKey?: string; maxAttempts?: number; runAt?: Date }): Promise<void>;
  close(): Promise<void>;
}

/** graphile-worker on the same Postgres: a job is committed with the rows it refers to, and no broker is needed. */
export async function createGraphileQueue(connectionString: string): Promise<JobQueue> {
  const utils: WorkerUtils = await makeWorkerUtils({ connectionString });
  await utils.migrate();
  return {
    async enqueue(name, payload, options = {}) {
      await utils.addJob(name as string, payload as unknown as Record<string, unknown>, { jobKey: options.jobKey, maxAttempts: options.maxAttempts ?? 5, runAt: options.runAt });
    },
    close: async () => {
      await utils.release();
    },
  };
}
