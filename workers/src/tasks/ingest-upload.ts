import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keys } from '@timeshift/shared/storage/keys';
import { FfmpegError, ffprobe, runFfmpeg } from '../media/ffmpeg.ts';
import { aacCodecString, avcCodecString, firstRenditionArgs, parseMediaPlaylist, peakBandwidth } from '../media/hls-args.ts';
import { judgeSource } from '../media/probe.ts';
import { BACKGROUND_STEPS, JOB_FOR_STEP } from './pipeline.ts';
import type { MediaDeps } from './media-step.ts';
import { uploadHlsFolder } from './upload-dir.ts';

/** How long the objects of a replaced recording stay, so that someone mid-playback is not cut off. */
export const REPLACED_UPLOAD_GRACE_MS = 30 * 60 * 1000;
/** Long enough for ffmpeg to read a 4-hour source. */
const SOURCE_URL_SECONDS = 6 * 3600;

export interface IngestJob {
  talkId: string;
  uploadId: string;
  /** This run's attempt number, and how many there are; the last one records a failure instead of throwing. */
  attempt: number;
  maxAttempts: number;
}

/**
 * Probes an uploaded recording and turns it into the first playable HLS rendition.
 * Idempotent: the output keys are fixed by the upload's id, and a finished or superseded upload is left alone.
 */
export async function ingestUpload(deps: MediaDeps, job: IngestJob): Promise<'playable' | 'failed' | 'skipped'> {
  const loaded = await deps.media.load(job.talkId, job.uploadId);
  if (!loaded) return 'skipped';
  const { talk, upload } = loaded;
  if (talk.state !== 'processing' || upload.state !== 'stored') return 'skipped';
  if ((await deps.media.latestStoredUploadId(talk.id)) !== upload.id) return 'skipped';

  const key = keys.source(talk.id, upload.id);
  const size = await deps.storage.sizeOf(key);
  if (size === undefined) {
    await deps.media.fail(talk.id, 'The uploaded file is no longer in storage. Upload the recording again.');
    return 'failed';
  }
  if (size === 0) {
    await deps.media.fail(talk.id, 'The uploaded file is empty (0 bytes). Choose the recording again and upload it.');
    return 'failed';
  }
  // ffprobe and ffmpeg read the source straight from S3 with range requests: no local copy to wait for.
  const sourcePath = await deps.storage.internalUrl(key, SOURCE_URL_SECONDS);
  const work = await mkdtemp(join(tmpdir(), 'timeshift-ingest-'));
  try {
    let verdict;
    try {
      verdict = judgeSource(await ffprobe(sourcePath), deps.maxDurationSeconds);
    } catch (e) {
      if (!(e instanceof FfmpegError)) throw e;
      await deps.storage.sizeOf(key); // an S3 outage is retried, not blamed on the file
      verdict = { ok: false as const, reason: 'This file is not a video we can read. Export the recording as MP4 (H.264 and AAC) and upload it again.' };
    }
    if (!verdict.ok) {
      await deps.media.fail(talk.id, verdict.reason);
      return 'failed';
    }

    const outDir = join(work, 'hls');
    await mkdir(outDir);
    const plan = firstRenditionArgs(verdict, outDir);
    try {
      await runFfmpeg({ input: sourcePath, outputOptions: plan.outputOptions, output: join(outDir, 'index.m3u8') });
    } catch (e) {
      if (!(e instanceof FfmpegError)) throw e;
      await deps.storage.sizeOf(key);
      await deps.media.fail(talk.id, `We could not convert this recording (${e.reason.slice(0, 200)}). Export it again as MP4 and upload it.`);
      return 'failed';
    }

    const folder = String(plan.height);
    await uploadHlsFolder(deps.storage, outDir, (name) => keys.hlsFile(talk.id, upload.id, `${folder}/${name}`));

    const playlist = parseMediaPlaylist(await readFile(join(outDir, 'index.m3u8'), 'utf8'));
    const sizes = await Promise.all(playlist.segments.map(async (s) => (await stat(join(outDir, s.uri))).size));
    const initBytes = playlist.initUri ? (await stat(join(outDir, playlist.initUri))).size : 0;
    const out = await ffprobe(join(outDir, 'index.m3u8'));
    const outVideo = out.streams.find((s) => s.codec_type === 'video');
    const outAudio = out.streams.find((s) => s.codec_type === 'audio');
    const codecs = [avcCodecString(outVideo?.profile, outVideo?.level), ...(outAudio ? [aacCodecString(outAudio.profile)] : [])].join(',');

    const { published, replaced } = await deps.media.publish(talk.id, upload.id, verdict.durationSeconds, [
      {
        height: plan.height,
        width: plan.width,
        bandwidth: peakBandwidth(playlist.segments.map((s) => s.duration), sizes, initBytes),
        codecs,
        playlist: `${folder}/index.m3u8`,
      },
    ], { steps: BACKGROUND_STEPS.map((step) => ({ step, job: JOB_FOR_STEP[step] })), purgeAfterMs: REPLACED_UPLOAD_GRACE_MS });
    deps.log(`talk ${talk.id}: ${published ? 'playable' : 'no longer processing'} (${plan.copiesVideo ? 'remuxed' : 're-encoded'}, ${playlist.segments.length} segments)`);
    return published ? 'playable' : 'skipped';
  } catch (e) {
    if (job.attempt >= job.maxAttempts) {
      await deps.media.fail(talk.id, 'Processing kept failing on our side. Upload the recording again, or tell your admin if it keeps happening.');
      return 'failed';
    }
    throw e;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
