// Builds the real app and worker against the real services provisioned by the global setup.
import { DEFAULT_LIVENESS, type LivenessOptions } from '../../workers/src/liveness.ts';
import { startWorkerLanes } from '../../workers/src/runner.ts';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { systemClock, type Clock } from '@timeshift/shared/clock';
import { loadConfig, type S3Config } from '@timeshift/shared/config';
import { createDb } from '@timeshift/shared/db/database';
import type { Database } from '@timeshift/shared/db/schema';
import { createS3Storage, type ObjectStorage } from '@timeshift/shared/storage/s3';
import { argon2Hasher } from '../../server/src/adapters/password.ts';
import { createGraphileQueue, type JobQueue } from '../../server/src/adapters/queue.ts';
import { buildApp, type AppDeps } from '../../server/src/app.ts';
import { abandonedUploadsRepository } from '../../workers/src/repositories/abandoned-uploads.ts';
import { pocketsphinxTranscriber } from '../../workers/src/media/captions/pocketsphinx.ts';
import { captionsRepository } from '../../workers/src/repositories/captions.ts';
import { mediaRepository, stepsRepository } from '../../workers/src/repositories/media.ts';
import { buildTaskList } from '../../workers/src/task-list.ts';

export interface TestApp {
  app: FastifyInstance;
  db: Kysely<Database>;
  storage: ObjectStorage;
  queue: JobQueue;
  close(): Promise<void>;
}

export interface TestAppOptions {
  clock?: Clock;
  maxUploadBytes?: number;
  databaseUrl?: string;
  s3?: Partial<S3Config>;
  loginPerMinute?: number;
  writesPerMinute?: number;
  publicUrl?: string;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig();
  const db = createDb(options.databaseUrl ?? config.databaseUrl, 5);
  const storage = createS3Storage({ ...config.s3, ...options.s3 });
  const queue = await createGraphileQueue(config.databaseUrl);
  const deps: AppDeps = {
    db,
    storage,
    s3: { ...config.s3, ...options.s3 },
    queue,
    clock: options.clock ?? systemClock,
    hasher: argon2Hasher,
    config: {
      maxUploadBytes: options.maxUploadBytes ?? config.maxUploadBytes,
      sessionSecret: config.sessionSecret,
      secureCookies: false,
      publicUrl: options.publicUrl,
      loginPerMinute: options.loginPerMinute ?? 1000,
      writesPerMinute: options.writesPerMinute ?? 10_000,
      devMailboxDir: process.env.DEV_MAILBOX_DIR,
      databaseUrl: options.databaseUrl ?? config.databaseUrl,
    },
  };
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    db,
    storage,
    queue,
    close: async () => {
      await app.close();
      await queue.close();
      await db.destroy();
    },
  };
}

/** A real graphile-worker runner with the product's task list, in this process. */
export async function startTestWorker(options: { liveness?: LivenessOptions } = {}): Promise<{ stop(): Promise<void> }> {
  const config = loadConfig();
  const db = createDb(config.databaseUrl, 3);
  const lanes = await startWorkerLanes({
    connectionString: config.databaseUrl,
    db,
    liveness: options.liveness ?? DEFAULT_LIVENESS,
    heavyConcurrency: 1,
    quickConcurrency: 2,
    pollInterval: 200,
    noHandleSignals: true,
    taskList: buildTaskList({ captionEngine: { repository: captionsRepository(db), transcriber: pocketsphinxTranscriber() }, media: mediaRepository(db), steps: stepsRepository(db), storage: createS3Storage(config.s3), maxDurationSeconds: config.maxDurationSeconds, log: () => undefined, cleanup: { uploads: abandonedUploadsRepository(db), clock: systemClock, abandonAfterHours: config.uploadAbandonHours } }),
  });
  return {
    stop: async () => {
      await lanes.stop();
      await db.destroy();
    },
  };
}
