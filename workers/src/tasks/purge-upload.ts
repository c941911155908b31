import { keys } from '@timeshift/shared/storage/keys';
import type { MediaDeps } from './media-step.ts';

/** Deletes what a replaced recording left in S3, unless it has become the playing one again. */
export async function purgeUpload(deps: MediaDeps, job: { talkId: string; uploadId: string }): Promise<number> {
  if ((await deps.media.playingUploadOf(job.talkId)) === job.uploadId) return 0;
  let deleted = 0;
  for (const prefix of keys.uploadPrefixes(job.talkId, job.uploadId)) deleted += await deps.storage.deletePrefix(prefix);
  deps.log(`talk ${job.talkId}: purged ${deleted} objects of replaced upload ${job.uploadId}`);
  return deleted;
}
