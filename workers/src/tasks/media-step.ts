import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaStep } from '@timeshift/shared/db/schema';
import type { JobName, JobPayloads } from '@timeshift/shared/jobs';
import { keys } from '@timeshift/shared/storage/keys';
import { ObjectMissingError, type ObjectStorage } from '@timeshift/shared/storage/s3';
import { FfmpegError, ffprobe } from '../media/ffmpeg.ts';
import { judgeSource, type SourceVerdict } from '../media/probe.ts';
import type { MediaRepository, StepsRepository } from '../repositories/media.ts';

export interface MediaDeps {
  media: MediaRepository;
  steps: StepsRepository;
  storage: ObjectStorage;
  maxDurationSeconds: number;
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options?: { jobKey?: string; runAt?: Date; maxAttempts?: number }): Promise<void>;
  log: (message: string) => void;
}

export interface StepJob {
  talkId: string;
  uploadId: string;
  attempt: number;
  maxAttempts: number;
}

export interface StepContext {
  sourcePath: string;
  workDir: string;
  source: Extract<SourceVerdict, { ok: true }>;
  /** Reports progress as a fraction 0..1; written at most once a second. */
  progress(fraction: number): void;
}

/**
 * Runs one background media step of an upload. Idempotent and safe to retry: a step already done,
 * or for an upload no longer playing, is skipped; the temp folder always goes; the last attempt
 * records a readable failure instead of throwing. A failed background step leaves the talk playable.
 */
export async function runMediaStep(deps: MediaDeps, job: StepJob, step: MediaStep, work: (ctx: StepContext) => Promise<void>): Promise<'done' | 'failed' | 'skipped'> {
  const loaded = await deps.media.load(job.talkId, job.uploadId);
  const current = await deps.steps.get(job.uploadId, step);
  if (!loaded || !current || current.state === 'done' || loaded.talk.playing_upload_id !== job.uploadId) return 'skipped';

  await deps.steps.update(job.uploadId, step, { state: 'running', error: null });
  const workDir = await mkdtemp(join(tmpdir(), `timeshift-${step}-`));
  let lastWrite = 0;
  const progress = (fraction: number) => {
    const now = Date.now();
    if (now - lastWrite < 1000) return;
    lastWrite = now;
    const percent = Math.max(0, Math.min(99, Math.floor(fraction * 100)));
    void deps.steps.update(job.uploadId, step, { percent }).catch(() => undefined);
  };
  try {
    const sourcePath = join(workDir, 'source');
    await deps.storage.downloadToFile(keys.source(job.talkId, job.uploadId), sourcePath).catch((e: unknown) => {
      throw e instanceof ObjectMissingError ? new FfmpegError('missing source', 'The source recording is no longer in storage.') : e;
    });
    if ((await stat(sourcePath)).size === 0) throw new FfmpegError('empty source', 'The source file is empty.');
    const verdict = judgeSource(await ffprobe(sourcePath), deps.maxDurationSeconds);
    if (!verdict.ok) throw new FfmpegError('unusable source', verdict.reason);
    await work({ sourcePath, workDir, source: verdict, progress });
    const ready = await deps.steps.complete(job.talkId, job.uploadId, step);
    deps.log(`talk ${job.talkId}: ${step} done${ready ? '; talk is ready' : ''}`);
    return 'done';
  } catch (e) {
    // Media that ffmpeg cannot handle will not get better on retry; anything else (S3, disk) might.
    if (e instanceof FfmpegError || job.attempt >= job.maxAttempts) {
      const reason = e instanceof FfmpegError ? e.reason.slice(0, 300) : 'kept failing on our side';
      await deps.steps.update(job.uploadId, step, { state: 'failed', error: `The ${step} step failed: ${reason}` });
      return 'failed';
    }
    throw e;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
