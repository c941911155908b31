import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { keys } from '@timeshift/shared/storage/keys';
import { ffprobe, runFfmpeg } from '../media/ffmpeg.ts';
import { aacCodecString, avcCodecString, parseMediaPlaylist, peakBandwidth } from '../media/hls-args.ts';
import { ladderArgs } from '../media/ladder-args.ts';
import type { NewRendition } from '../repositories/media.ts';
import { runMediaStep, type MediaDeps, type StepJob } from './media-step.ts';
import { uploadHlsFolder } from './upload-dir.ts';

/** The adaptive ladder: one decode, every rung encoded at once, then swapped in for the first rendition. */
export function ladderTask(deps: MediaDeps, job: StepJob) {
  return runMediaStep(deps, job, 'ladder', async ({ sourcePath, workDir, source, progress }) => {
    const outDir = join(workDir, 'ladder');
    const plan = ladderArgs(source, outDir);
    for (const r of plan.rungs) await mkdir(join(outDir, r.folder), { recursive: true });
    await runFfmpeg({ input: sourcePath, outputOptions: plan.outputOptions, output: plan.outputPattern, onProgress: (s) => progress((s / source.durationSeconds) * 0.9) });

    const renditions: NewRendition[] = [];
    for (const rung of plan.rungs) {
      const dir = join(outDir, rung.folder);
      await uploadHlsFolder(deps.storage, dir, (name) => keys.hlsFile(job.talkId, job.uploadId, `${rung.folder}/${name}`));
      const playlist = parseMediaPlaylist(await readFile(join(dir, 'index.m3u8'), 'utf8'));
      const sizes = await Promise.all(playlist.segments.map(async (s) => (await stat(join(dir, s.uri))).size));
      const out = await ffprobe(join(dir, 'index.m3u8'));
      const v = out.streams.find((s) => s.codec_type === 'video');
      const a = out.streams.find((s) => s.codec_type === 'audio');
      renditions.push({
        height: rung.height,
        width: rung.width,
        bandwidth: peakBandwidth(playlist.segments.map((s) => s.duration), sizes),
        codecs: [avcCodecString(v?.profile, v?.level), ...(a ? [aacCodecString(a.profile)] : [])].join(','),
        playlist: `${rung.folder}/index.m3u8`,
      });
    }
    // One transaction swaps the fast rendition's rows for the ladder's; its objects stay, so a viewer
    // who loaded the old media playlist keeps playing.
    await deps.steps.replaceRenditions(job.talkId, job.uploadId, renditions);
  });
}
