import type { Clock } from '@timeshift/shared/clock';
import { keys } from '@timeshift/shared/storage/keys';
import type { ObjectStorage } from '@timeshift/shared/storage/s3';
import type { AbandonedUploadsRepository } from '../repositories/abandoned-uploads.ts';

export interface CleanupDeps {
  uploads: AbandonedUploadsRepository;
  storage: ObjectStorage;
  clock: Clock;
  abandonAfterHours: number;
  log: (message: string) => void;
}

const BATCH = 100;

/**
 * Aborts resumable uploads that have had no activity for the configured hours: their S3 multipart
 * upload and leftover objects go, and the talk returns to the state it had before the upload began.
 * Storage is cleaned before the rows change, so a failure half-way is simply done again next run.
 */
export async function cleanupAbandonedUploads(deps: CleanupDeps): Promise<{ aborted: number }> {
  const cutoff = new Date(deps.clock.now().getTime() - deps.abandonAfterHours * 3600_000);
  let aborted = 0;
  for (;;) {
    const idle = await deps.uploads.idleSince(cutoff, BATCH);
    for (const upload of idle) {
      const key = keys.source(upload.talk_id, upload.id);
      await deps.storage.abortMultipartUploads(key);
      await deps.storage.deletePrefix(key);
      if (await deps.uploads.release(upload, cutoff)) {
        aborted++;
        deps.log(`cleanup_uploads: aborted upload ${upload.id} of talk ${upload.talk_id}, idle since ${upload.last_activity_at?.toISOString()}`);
      }
    }
    if (idle.length < BATCH) return { aborted };
  }
}

/** The graphile-worker task, run by cron; its payload is ignored, since the database says what to clean. */
export function cleanupUploadsTask(deps: CleanupDeps) {
  return async (): Promise<void> => {
    await cleanupAbandonedUploads(deps);
  };
}

/** Every 15 minutes, one job at a time: a run that finds nothing costs one indexed query. */
export const CLEANUP_UPLOADS_CRON = '*/15 * * * * cleanup_uploads ?max=1&jobKey=cleanup_uploads';
