import type { TaskList } from 'graphile-worker';
import type { JobPayloads } from '@timeshift/shared/jobs';
import { ingestUpload, type IngestDeps } from './tasks/ingest-upload.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function isIngestPayload(p: unknown): p is JobPayloads['ingest_upload'] {
  const o = p as Record<string, unknown> | null;
  return typeof o?.talkId === 'string' && UUID.test(o.talkId) && typeof o.uploadId === 'string' && UUID.test(o.uploadId);
}

export function buildTaskList(deps: IngestDeps): TaskList {
  return {
    ingest_upload: async (payload, helpers) => {
      // A malformed payload can never succeed: log it and let the job finish rather than retry forever.
      if (!isIngestPayload(payload)) {
        helpers.logger.error(`ingest_upload: malformed payload ${JSON.stringify(payload).slice(0, 200)}`);
        return;
      }
      await ingestUpload(deps, { ...payload, attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
    },
  };
}
