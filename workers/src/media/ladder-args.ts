// Pure builder of the adaptive ladder: one decode, every rung encoded through `split`.
import { SEGMENT_SECONDS } from './hls-args.ts';
import { stillSource, type SourceVerdict } from './probe.ts';

type Accepted = Extract<SourceVerdict, { ok: true }>;

export interface Rung {
  /** The short side, as "720p" names it. */
  short: number;
  videoKbps: number;
}

/** Bitrates for talks: mostly slides and faces, so lower than film ladders at the same size. */
export const LADDER: readonly Rung[] = [
  { short: 1080, videoKbps: 4500 },
  { short: 720, videoKbps: 2500 },
  { short: 480, videoKbps: 1200 },
  { short: 360, videoKbps: 700 },
];
export const AUDIO_KBPS = 128;

export interface PlannedRung extends Rung {
  width: number;
  height: number;
  /** The rung's folder, inside the upload's HLS prefix. */
  folder: string;
}

function even(n: number): number {
  return Math.max(2, Math.round(n / 2) * 2);
}

/** The rungs a source gets: never upscaled, and at least one (at the source's own size when it is tiny). */
export function planLadder(width: number, height: number): PlannedRung[] {
  const short = Math.min(width, height);
  const fits = LADDER.filter((r) => r.short <= short);
  const rungs = fits.length > 0 ? fits : [{ short: even(short), videoKbps: LADDER.at(-1)!.videoKbps }];
  return rungs.map((r) => {
    const scale = r.short / short;
    return { ...r, width: even(width * scale), height: even(height * scale), folder: `ladder_${r.short}` };
  });
}

export interface LadderPlan {
  rungs: PlannedRung[];
  outputOptions: string[];
  /** ffmpeg's output playlist pattern, with %v for the rung's folder name. */
  outputPattern: string;
}

export function ladderArgs(source: Accepted, outDir: string): LadderPlan {
  const rungs = planLadder(source.width, source.height);
  const n = rungs.length;
  const hasAudio = Boolean(source.audio);
  const input = source.video ? '[0:v]' : `${stillSource(source.durationSeconds, source.width, source.height)},`;
  const video = [`${input}split=${n}${rungs.map((_, i) => `[v${i}]`).join('')}`, ...rungs.map((r, i) => `[v${i}]scale=${r.width}:${r.height}:flags=bicubic,setsar=1[vo${i}]`)];
  // EBU R128 loudness normalisation once, then one copy per rung: every variant sounds the same.
  const audio = hasAudio ? [`[0:a]loudnorm=I=-16:TP=-1.5:LRA=11,aresample=48000,asplit=${n}${rungs.map((_, i) => `[ao${i}]`).join('')}`] : [];
  const maps = rungs.flatMap((_, i) => ['-map', `[vo${i}]`, ...(hasAudio ? ['-map', `[ao${i}]`] : [])]);
  const rates = rungs.flatMap((r, i) => [
    `-b:v:${i}`, `${r.videoKbps}k`,
    `-maxrate:v:${i}`, `${Math.round(r.videoKbps * 1.1)}k`, // caps peaks so BANDWIDTH holds on slide changes
    `-bufsize:v:${i}`, `${r.videoKbps * 2}k`,
  ]);
  const streamMap = rungs.map((r, i) => `v:${i}${hasAudio ? `,a:${i}` : ''},name:${r.folder}`).join(' ');
  return {
    rungs,
    outputPattern: `${outDir}/%v/index.m3u8`,
    outputOptions: [
      '-filter_complex', [...video, ...audio].join(';'),
      ...maps,
      '-c:v', 'libx264',
      '-preset', 'veryfast', // the best quality per CPU second on a small worker
      '-profile:v', 'high',
      '-pix_fmt', 'yuv420p', // what every browser decodes
      ...rates,
      // Keyframes at the same instants in every rung, and GOPs that never reach across a segment: aligned switching.
      '-force_key_frames', `expr:gte(t,n_forced*${SEGMENT_SECONDS})`,
      '-sc_threshold', '0', // no extra scene-cut keyframes that would differ between rungs
      '-flags', '+cgop',
      ...(hasAudio ? ['-c:a', 'aac', '-b:a', `${AUDIO_KBPS}k`, '-ac', '2'] : []),
      '-sn', '-dn',
      '-f', 'hls',
      '-hls_time', String(SEGMENT_SECONDS),
      '-hls_playlist_type', 'vod',
      '-hls_segment_type', 'fmp4',
      '-hls_fmp4_init_filename', 'init.mp4',
      '-hls_flags', 'independent_segments',
      '-var_stream_map', streamMap,
      '-hls_segment_filename', `${outDir}/%v/seg_%05d.m4s`,
    ],
  };
}
