import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keys } from '@timeshift/shared/storage/keys';
import type { ObjectStorage } from '@timeshift/shared/storage/s3';
import { FfmpegError } from '../media/ffmpeg.ts';
import { captionAudio, extractSpeechAudio } from '../media/captions/pipeline.ts';
import type { Transcriber } from '../media/captions/transcriber.ts';
import type { CaptionsRepository } from '../repositories/captions.ts';
import type { MediaRepository } from '../repositories/media.ts';
import { runMediaStep, type MediaDeps, type StepJob } from './media-step.ts';

export interface CaptionStepDeps {
  captions: CaptionsRepository;
  transcriber: Transcriber;
  log: (message: string) => void;
}

export interface CaptionDeps extends CaptionStepDeps {
  media: MediaRepository;
  storage: ObjectStorage;
}

export interface CaptionJob {
  talkId: string;
  uploadId: string;
  /** This run's attempt and how many there are; the last one reports a failure instead of throwing. */
  attempt?: number;
  maxAttempts?: number;
  signal?: AbortSignal;
}

/**
 * What became of the captions. Every outcome is final, so the talk can count its captions step as done:
 * a recording without sound, or whose speaker supplied captions, needs no recognition.
 */
export type CaptionResult =
  | { outcome: 'captioned'; cues: number; audioSec: number; wallSec: number }
  | { outcome: 'no_audio' | 'no_speech' | 'kept_speaker_track' | 'skipped' }
  | { outcome: 'failed'; reason: string };

function labelFor(lang: string): string {
  const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(lang) ?? lang;
  return `${name} (automatic)`;
}

/**
 * Captions for a recording already on local disk: for a step runner that has downloaded the source.
 * Throws FfmpegError when the recording's sound cannot be read; a re-run replaces the automatic cues.
 */
export async function captionRecording(
  deps: CaptionStepDeps,
  input: { talkId: string; uploadId: string; sourcePath: string; workDir: string; signal?: AbortSignal; progress?: (fraction: number) => void },
): Promise<Exclude<CaptionResult, { outcome: 'skipped' | 'failed' }>> {
  const started = Date.now();
  const lang = deps.transcriber.lang;
  if (await deps.captions.hasSpeakerTrack(input.talkId, lang)) return { outcome: 'kept_speaker_track' };
  const base = { talkId: input.talkId, uploadId: input.uploadId, lang, label: labelFor(lang) };
  const audio = await extractSpeechAudio(input.sourcePath, input.workDir, input.signal);
  if (!audio) {
    // A silent new recording must not keep the old recording's words.
    const stale = await deps.captions.replaceAutomaticTrack({ ...base, cues: [] });
    return { outcome: stale === 'kept_speaker_track' ? 'kept_speaker_track' : 'no_audio' };
  }
  input.progress?.(0.1);
  const { cues } = await captionAudio(deps.transcriber, audio, input.signal);
  input.progress?.(0.95);
  const stored = await deps.captions.replaceAutomaticTrack({ ...base, cues });
  const wallSec = (Date.now() - started) / 1000;
  deps.log(`talk ${input.talkId}: ${cues.length} caption cues from ${deps.transcriber.name} (${stored}), ${audio.durationSec.toFixed(1)} s of audio in ${wallSec.toFixed(1)} s`);
  if (stored === 'kept_speaker_track') return { outcome: 'kept_speaker_track' };
  if (cues.length === 0) return { outcome: 'no_speech' };
  return { outcome: 'captioned', cues: cues.length, audioSec: audio.durationSec, wallSec };
}

/**
 * The `captions` job: automatic captions for one recording of a talk, from its source in S3. Idempotent,
 * never touches a track the speaker uploaded or edited, and skips a recording that a newer one replaced.
 */
export async function transcribeTalk(deps: CaptionDeps, job: CaptionJob): Promise<CaptionResult> {
  const loaded = await deps.media.load(job.talkId, job.uploadId);
  if (!loaded || loaded.upload.state !== 'stored' || ['failed', 'draft'].includes(loaded.talk.state)) return { outcome: 'skipped' };
  if ((await deps.media.latestStoredUploadId(job.talkId)) !== job.uploadId) return { outcome: 'skipped' };
  if (await deps.captions.hasSpeakerTrack(job.talkId, deps.transcriber.lang)) return { outcome: 'kept_speaker_track' };

  const workDir = await mkdtemp(join(tmpdir(), 'timeshift-captions-'));
  try {
    const sourcePath = join(workDir, 'source');
    await deps.storage.downloadToFile(keys.source(job.talkId, job.uploadId), sourcePath);
    return await captionRecording(deps, { talkId: job.talkId, uploadId: job.uploadId, sourcePath, workDir, signal: job.signal });
  } catch (e) {
    // Sound ffmpeg cannot read will not improve on retry; the ingest step tells the speaker what is wrong.
    if (e instanceof FfmpegError) return { outcome: 'failed', reason: `The recording's sound could not be read (${e.reason.slice(0, 160)}).` };
    if ((job.attempt ?? 1) >= (job.maxAttempts ?? 1)) {
      deps.log(`talk ${job.talkId}: captions failed for good: ${e instanceof Error ? e.message : String(e)}`);
      return { outcome: 'failed', reason: 'Automatic captions could not be made. Upload a caption file instead, or try again later.' };
    }
    throw e;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** What the worker needs beyond the media steps' deps to make captions. */
export interface CaptionEngine {
  repository: CaptionsRepository;
  transcriber: Transcriber;
}

/**
 * The `captions` job as one of the talk's media steps: progress and `ready` come from the step runner,
 * and every final outcome (captioned, no sound, speaker's own track) counts as the step done.
 */
export function captionsTask(deps: MediaDeps & { captionEngine: CaptionEngine }, job: StepJob) {
  return runMediaStep(deps, job, 'captions', async ({ sourcePath, workDir, progress }) => {
    await captionRecording(
      { captions: deps.captionEngine.repository, transcriber: deps.captionEngine.transcriber, log: deps.log },
      { talkId: job.talkId, uploadId: job.uploadId, sourcePath, workDir, progress },
    );
  });
}
