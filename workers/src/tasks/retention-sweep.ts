import type { Clock } from '@timeshift/shared/clock';
import { keys } from '@timeshift/shared/storage/keys';
import type { ObjectStorage } from '@timeshift/shared/storage/s3';
import type { RetentionRepository } from '../repositories/retention.ts';

export interface RetentionDeps {
  retention: RetentionRepository;
  storage: ObjectStorage;
  clock: Clock;
  log: (message: string) => void;
}

/** Daily, at 03:00 UTC: a quiet hour for most offices. */
export const RETENTION_CRON = '0 3 * * * retention_sweep ?max=1';

/**
 * Deletes the recordings of meetings whose retention period has run out, then marks their talks archived.
 * Idempotent: objects are deleted before rows change, so a crash in between only means deleting nothing twice.
 */
export async function retentionSweep(deps: RetentionDeps): Promise<{ meetings: number; objects: number; talks: number }> {
  const now = deps.clock.now();
  let objects = 0;
  let talks = 0;
  const due = await deps.retention.dueMeetings(now);
  for (const meeting of due) {
    for (const talkId of meeting.talkIds) objects += await deps.storage.deletePrefix(keys.talkPrefix(talkId));
    const outcome = await deps.retention.archive(meeting.id, now);
    talks += outcome.archived;
    deps.log(`retention: meeting ${meeting.id}: ${outcome.archived} talks archived${outcome.pending ? `, ${outcome.pending} still processing` : ''}`);
  }
  return { meetings: due.length, objects, talks };
}
