import type { JobHelpers, TaskList } from 'graphile-worker';
import type { JobName, JobPayloads } from '@timeshift/shared/jobs';
import { captionsTask, type CaptionEngine } from './tasks/captions.ts';
import { ingestUpload } from './tasks/ingest-upload.ts';
import { ladderTask } from './tasks/ladder.ts';
import type { MediaDeps } from './tasks/media-step.ts';
import { purgeUpload } from './tasks/purge-upload.ts';
import { cleanupUploadsTask, type CleanupDeps } from './tasks/cleanup-uploads.ts';
import { posterTask, storyboardTask } from './tasks/stills.ts';
import { notifyTasks, type NotifyDeps } from './tasks/mail-tasks.ts';
import { retentionSweep, type RetentionDeps } from './tasks/retention-sweep.ts';

export type WorkerDeps = Omit<MediaDeps, 'enqueue'> & {
  /** Abandoned resumable uploads; the task is registered only when given. */
  cleanup?: Omit<CleanupDeps, 'storage' | 'log'>;
  /** Mail, reminders and notices; registered only when given. */
  notify?: NotifyDeps;
  /** The daily deletion of expired recordings; registered only when given. */
  retention?: Omit<RetentionDeps, 'storage' | 'log'>;
  /** Automatic captions; registered only when given. */
  captionEngine?: CaptionEngine;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function isUploadPayload(p: unknown): p is { talkId: string; uploadId: string } {
  const o = p as Record<string, unknown> | null;
  return typeof o?.talkId === 'string' && UUID.test(o.talkId) && typeof o.uploadId === 'string' && UUID.test(o.uploadId);
}

/** Each job gets deps whose `enqueue` goes through its own helpers, so follow-up jobs use the worker's pool. */
function withQueue(base: WorkerDeps, helpers: JobHelpers): MediaDeps {
  return {
    ...base,
    async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: { jobKey?: string; runAt?: Date; maxAttempts?: number } = {}) {
      await helpers.addJob(name, payload as never, options);
    },
  };
}

/** A task over one upload: a malformed payload can never succeed, so it is logged and dropped, not retried forever. */
function uploadTask(base: WorkerDeps, name: string, run: (deps: MediaDeps, job: { talkId: string; uploadId: string; attempt: number; maxAttempts: number }) => Promise<unknown>) {
  return async (payload: unknown, helpers: JobHelpers) => {
    if (!isUploadPayload(payload)) {
      helpers.logger.error(`${name}: malformed payload ${JSON.stringify(payload).slice(0, 200)}`);
      return;
    }
    await run(withQueue(base, helpers), { talkId: payload.talkId, uploadId: payload.uploadId, attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
  };
}

export function buildTaskList(base: WorkerDeps): TaskList {
  return {
    ingest_upload: uploadTask(base, 'ingest_upload', ingestUpload),
    media_ladder: uploadTask(base, 'media_ladder', ladderTask),
    media_poster: uploadTask(base, 'media_poster', posterTask),
    media_storyboard: uploadTask(base, 'media_storyboard', storyboardTask),
    media_purge_upload: uploadTask(base, 'media_purge_upload', purgeUpload),
    ...(base.notify ? notifyTasks(base.notify) : {}),
    ...(base.retention ? { retention_sweep: async () => void (await retentionSweep({ ...base.retention!, storage: base.storage, log: base.log })) } : {}),
    ...(base.captionEngine ? { captions: uploadTask(base, 'captions', (deps, job) => captionsTask({ ...deps, captionEngine: base.captionEngine! }, job)) } : {}),
    ...(base.cleanup ? { cleanup_uploads: cleanupUploadsTask({ ...base.cleanup, storage: base.storage, log: base.log }) } : {}),
  };
}
