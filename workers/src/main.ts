import { systemClock } from '@timeshift/shared/clock';
import { loadConfig } from '@timeshift/shared/config';
import { createDb } from '@timeshift/shared/db/database';
import { createS3Storage } from '@timeshift/shared/storage/s3';
import { abandonedUploadsRepository } from './repositories/abandoned-uploads.ts';
import { pocketsphinxTranscriber } from './media/captions/pocketsphinx.ts';
import { captionsRepository } from './repositories/captions.ts';
import { mediaRepository, stepsRepository } from './repositories/media.ts';
import { buildTaskList } from './task-list.ts';
import { retentionRepository } from './repositories/retention.ts';
import { RETENTION_CRON } from './tasks/retention-sweep.ts';
import { livenessFromEnv } from './liveness.ts';
import { startWorkerLanes } from './runner.ts';
import { notifyCron, notifyDepsFromEnv } from './tasks/mail-tasks.ts';
import { CLEANUP_UPLOADS_CRON } from './tasks/cleanup-uploads.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = createDb(config.databaseUrl, 4);
  const storage = createS3Storage(config.s3);
  const log = (m: string) => console.log(`[worker] ${m}`);
  const notify = notifyDepsFromEnv(db, systemClock, process.env, log);
  const lanes = await startWorkerLanes({
    connectionString: config.databaseUrl,
    db,
    liveness: livenessFromEnv(process.env),
    heavyConcurrency: Number(process.env.WORKER_CONCURRENCY || 1),
    quickConcurrency: 2,
    pollInterval: 1000,
    crontab: [CLEANUP_UPLOADS_CRON, notifyCron(notify), RETENTION_CRON].join('\n'),
    taskList: buildTaskList({ captionEngine: { repository: captionsRepository(db), transcriber: pocketsphinxTranscriber() }, media: mediaRepository(db), steps: stepsRepository(db), storage, maxDurationSeconds: config.maxDurationSeconds, log, cleanup: { uploads: abandonedUploadsRepository(db), clock: systemClock, abandonAfterHours: config.uploadAbandonHours }, notify, retention: { retention: retentionRepository(db), clock: systemClock } }),
  });
  await lanes.promise;
  await db.destroy();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
