import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keys } from '@timeshift/shared/storage/keys';
import type { ObjectStorage } from '@timeshift/shared/storage/s3';
import { FfmpegError, ffprobe, runFfmpeg } from '../media/ffmpeg.ts';
import { aacCodecString, avcCodecString, firstRenditionArgs, parseMediaPlaylist, peakBandwidth } from '../media/hls-args.ts';
import { judgeSource } from '../media/probe.ts';
import type { MediaRepository } from '../repositories/media.ts';

export interface IngestDeps {
  media: MediaRepository;
  storage: ObjectStorage;
  maxDurationSeconds: number;
  log: (message: string) => void;
}

export interface IngestJob {
  talkId: string;
  uploadId: string;
  /** This run's attempt number, and how many there are; the last one records a failure instead of throwing. */
  attempt: number;
  maxAttempts: number;
}

const CONTENT_TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
};

/**
 * Probes an uploaded recording and turns it into the first playable HLS rendition.
 * Idempotent: the output keys are fixed by the upload's id, and a finished or superseded upload is left alone.
 */
export async function ingestUpload(deps: IngestDeps, job: IngestJob): Promise<'playable' | 'failed' | 'skipped'> {
  const loaded = await deps.media.load(job.talkId, job.uploadId);
  if (!loaded) return 'skipped';
  const { talk, upload } = loaded;
  if (talk.state !== 'processing' || upload.state !== 'stored') return 'skipped';
  if ((await deps.media.latestStoredUploadId(talk.id)) !== upload.id) return 'skipped';

  const work = await mkdtemp(join(tmpdir(), 'timeshift-ingest-'));
  try {
    const sourcePath = join(work, 'source');
    await deps.storage.downloadToFile(keys.source(talk.id, upload.id), sourcePath);
    if ((await stat(sourcePath)).size === 0) {
      await deps.media.fail(talk.id, 'The uploaded file is empty (0 bytes). Choose the recording again and upload it.');
      return 'failed';
    }

    let verdict;
    try {
      verdict = judgeSource(await ffprobe(sourcePath), deps.maxDurationSeconds);
    } catch (e) {
      if (!(e instanceof FfmpegError)) throw e;
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
      await deps.media.fail(talk.id, `We could not convert this recording (${e.reason.slice(0, 200)}). Export it again as MP4 and upload it.`);
      return 'failed';
    }

    const folder = String(plan.height);
    const files = await readdir(outDir);
    // Segments first and the playlist last, so that a playlist never names a segment that is not there yet.
    const ordered = [...files.filter((f) => f !== 'index.m3u8'), 'index.m3u8'];
    await uploadAll(ordered, async (name) => {
      const ext = name.split('.').pop() ?? '';
      await deps.storage.putFile(keys.hlsFile(talk.id, upload.id, `${folder}/${name}`), join(outDir, name), CONTENT_TYPES[ext] ?? 'application/octet-stream');
    });

    const playlist = parseMediaPlaylist(await readFile(join(outDir, 'index.m3u8'), 'utf8'));
    const sizes = await Promise.all(playlist.segments.map(async (s) => (await stat(join(outDir, s.uri))).size));
    const initBytes = playlist.initUri ? (await stat(join(outDir, playlist.initUri))).size : 0;
    const out = await ffprobe(join(outDir, 'index.m3u8'));
    const outVideo = out.streams.find((s) => s.codec_type === 'video');
    const outAudio = out.streams.find((s) => s.codec_type === 'audio');
    const codecs = [avcCodecString(outVideo?.profile, outVideo?.level), ...(outAudio ? [aacCodecString(outAudio.profile)] : [])].join(',');

    const published = await deps.media.publish(talk.id, upload.id, verdict.durationSeconds, [
      {
        height: plan.height,
        width: plan.width,
        bandwidth: peakBandwidth(playlist.segments.map((s) => s.duration), sizes, initBytes),
        codecs,
        playlist: `${folder}/index.m3u8`,
      },
    ]);
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

async function uploadAll(names: string[], put: (name: string) => Promise<void>): Promise<void> {
  const last = names.at(-1);
  const rest = names.slice(0, -1);
  const parallel = 8;
  for (let i = 0; i < rest.length; i += parallel) await Promise.all(rest.slice(i, i + parallel).map(put));
  if (last) await put(last);
}
