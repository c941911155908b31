import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keys } from '@timeshift/shared/storage/keys';
import { FfmpegError, ffprobe, runFfmpeg } from '../media/ffmpeg.ts';
import { aacCodecString, avcCodecString, firstRenditionArgs, peakBandwidth } from '../media/hls-args.ts';
import { judgeSource } from '../media/probe.ts';
import { BACKGROUND_STEPS, JOB_FOR_STEP } from './pipeline.ts';
import type { MediaDeps } from './media-step.ts';
import { progressiveHls } from './progressive-hls.ts';

/** How long the objects of a replaced recording stay, so that someone mid-playback is not cut off. */
export const REPLACED_UPLOAD_GRACE_MS = 30 * 60 * 1000;
/** How many segments must be in S3 before the talk is published as playable. */
const EARLY_SEGMENTS = 2;
/** How often the growing rendition is copied to S3. */
const PUMP_MS = 250;
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
    const folder = String(plan.height);
    const playlistKey = `${folder}/index.m3u8`;
    const hls = progressiveHls(deps.storage, outDir, (name) => keys.hlsFile(talk.id, upload.id, `${folder}/${name}`));
    const followUp = { steps: BACKGROUND_STEPS.map((step) => ({ step, job: JOB_FOR_STEP[step] })), purgeAfterMs: REPLACED_UPLOAD_GRACE_MS };

    // Bandwidth so far and the codecs ffmpeg wrote, read from the local rendition.
    const describe = async () => {
      const { segments, initUri } = hls.listed();
      const sizes = await Promise.all(segments.map(async (seg) => (await stat(join(outDir, seg.uri))).size));
      const initBytes = initUri ? (await stat(join(outDir, initUri))).size : 0;
      const out = await ffprobe(join(outDir, 'index.m3u8'));
      const v = out.streams.find((st) => st.codec_type === 'video');
      const a = out.streams.find((st) => st.codec_type === 'audio');
      return {
        bandwidth: peakBandwidth(segments.map((seg) => seg.duration), sizes, initBytes),
        codecs: [avcCodecString(v?.profile, v?.level), ...(a ? [aacCodecString(a.profile)] : [])].join(','),
      };
    };
    let outcome: { published: boolean; replaced: string | null } | undefined;
    const publish = async () => {
      const { bandwidth, codecs } = await describe();
      outcome = await deps.media.publish(talk.id, upload.id, verdict.durationSeconds, [{ height: plan.height, width: plan.width, bandwidth, codecs, playlist: playlistKey }], followUp);
      deps.log(`talk ${talk.id}: ${outcome.published ? 'playable' : 'no longer processing'} after ${hls.listed().segments.length} segments`);
    };

    const abort = new AbortController();
    let ffmpegError: FfmpegError | undefined;
    let running = true;
    const encoding = runFfmpeg({ input: sourcePath, outputOptions: plan.outputOptions, output: join(outDir, 'index.m3u8'), signal: abort.signal })
      .catch((e: unknown) => {
        if (!(e instanceof FfmpegError)) throw e;
        ffmpegError = e;
      })
      .finally(() => (running = false));
    try {
      // The talk becomes playable once its first segments are in S3; the rest follows while people watch.
      while (running) {
        await Promise.race([encoding, new Promise((r) => setTimeout(r, PUMP_MS))]);
        if (!running) break;
        const stored = await hls.pump();
        if (!outcome && stored >= EARLY_SEGMENTS) {
          await hls.putPlaylist(false);
          await publish();
          if (!outcome!.published) {
            abort.abort(); // the talk moved on (e.g. a newer upload): stop encoding for nobody
            break;
          }
        } else if (outcome?.published) {
          await hls.putPlaylist(false);
        }
      }
    } catch (e) {
      abort.abort();
      throw e;
    } finally {
      await encoding;
    }
    if (outcome && !outcome.published) return 'skipped';
    if (ffmpegError) {
      await deps.storage.sizeOf(key); // an S3 outage is retried, not blamed on the file
      const reason = `We could not convert this recording (${ffmpegError.reason.slice(0, 200)}). Export it again as MP4 and upload it.`;
      if (outcome) await deps.media.failPublished(talk.id, upload.id, reason);
      else await deps.media.fail(talk.id, reason);
      return 'failed';
    }

    await hls.pump();
    await hls.putPlaylist(true);
    if (!outcome) await publish();
    else await deps.media.setRenditionBandwidth(upload.id, playlistKey, (await describe()).bandwidth);
    return outcome!.published ? 'playable' : 'skipped';
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
