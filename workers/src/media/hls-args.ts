// Pure builders of ffmpeg arguments for the first playable rendition. Unit-tested without ffmpeg.
import { stillSource, type SourceVerdict } from './probe.ts';

type Accepted = Extract<SourceVerdict, { ok: true }>;

/** Target segment length: HLS's recommended 6 s, a balance of start-up time and request count. */
export const SEGMENT_SECONDS = 6;
/** The fast rendition of a source that cannot be copied has at most this short side. */
export const FAST_RENDITION_MAX_HEIGHT = 720;

export interface FirstRenditionPlan {
  /** True when the source's video is stream-copied (playable in seconds); false when it is re-encoded. */
  copiesVideo: boolean;
  copiesAudio: boolean;
  height: number;
  width: number;
  outputOptions: string[];
}

/** Browsers' MSE plays H.264 in 8-bit 4:2:0; anything else must be re-encoded. */
export function canCopyVideo(source: Accepted): boolean {
  if (!source.video) return false;
  const pixFmt = (source.video as { pix_fmt?: string }).pix_fmt;
  return source.video.codec_name === 'h264' && (pixFmt === undefined || pixFmt === 'yuv420p' || pixFmt === 'yuvj420p') && source.rotation === 0;
}

export function canCopyAudio(source: Accepted): boolean {
  return source.audio?.codec_name === 'aac';
}

function even(n: number): number {
  return Math.max(2, Math.round(n / 2) * 2);
}

/**
 * Remuxes H.264/AAC with -c copy, or re-encodes what browsers cannot play, into one fMP4 HLS
 * rendition in `outDir` (index.m3u8, init.mp4, seg_NNNNN.m4s).
 */
export function firstRenditionArgs(source: Accepted, outDir: string): FirstRenditionPlan {
  const copiesVideo = canCopyVideo(source);
  const copiesAudio = canCopyAudio(source);
  // "720p" bounds the short side, so a portrait phone video becomes 720x1280, not 406x720.
  const scale = copiesVideo ? 1 : Math.min(1, FAST_RENDITION_MAX_HEIGHT / Math.min(source.width, source.height));
  const width = copiesVideo ? source.width : even(source.width * scale);
  const height = copiesVideo ? source.height : even(source.height * scale);
  const picture = source.video
    ? ['-map', '0:v:0', ...(copiesVideo ? [] : ['-vf', `scale=${width}:${height}`])] // scaling follows ffmpeg's auto-rotation of phone video
    : ['-filter_complex', `${stillSource(source.durationSeconds, width, height)}[still]`, '-map', '[still]']; // sound only: a slate
  const video = copiesVideo
    ? ['-c:v', 'copy']
    : [
        '-c:v', 'libx264',
        '-preset', 'veryfast', // the first rendition is about speed; the ladder brings quality
        '-crf', '23',
        '-pix_fmt', 'yuv420p', // the only chroma format every browser decodes
        // A keyframe every segment, so that segments are cut at the same length.
        '-force_key_frames', `expr:gte(t,n_forced*${SEGMENT_SECONDS})`,
        '-profile:v', 'high',
      ];
  const audio = !source.audio
    ? []
    : copiesAudio
      ? ['-c:a', 'copy']
      : ['-c:a', 'aac', '-b:a', '128k', '-ac', '2'];
  return {
    copiesVideo,
    copiesAudio,
    height,
    width,
    outputOptions: [
      ...picture, // the main picture only: no cover art or data tracks
      ...(source.audio ? ['-map', '0:a:0'] : []),
      ...video,
      ...audio,
      '-sn', '-dn', // subtitles and data tracks have no place in the HLS rendition
      '-f', 'hls',
      '-hls_time', String(SEGMENT_SECONDS),
      // EVENT: ffmpeg rewrites the playlist after every segment, so the talk can play while the rest is written;
      // the stored final playlist is marked VOD (vodPlaylist) so players can seek anywhere.
      '-hls_playlist_type', 'event',
      '-hls_segment_type', 'fmp4', // fMP4 carries H.264 and AAC without TS overhead and plays in hls.js and Safari
      '-hls_fmp4_init_filename', 'init.mp4',
      '-hls_flags', 'independent_segments',
      '-hls_segment_filename', `${outDir}/seg_%05d.m4s`,
    ],
  };
}

/** The RFC 6381 codec string of an H.264 stream, e.g. "avc1.64001f" for High at level 3.1. */
export function avcCodecString(profile: string | undefined, level: number | undefined): string {
  const profiles: Record<string, string> = {
    'Constrained Baseline': '42e0',
    Baseline: '4200',
    Main: '4d40',
    Extended: '58a0',
    High: '6400',
    'High 10': '6e00',
    'High 4:2:2': '7a00',
    'High 4:4:4 Predictive': 'f400',
  };
  const p = profiles[profile ?? ''] ?? '6400';
  const l = Math.max(10, Math.min(62, level && level > 0 ? level : 40));
  return `avc1.${p}${l.toString(16).padStart(2, '0')}`;
}

/** The codec string of an AAC stream: HE-AAC and LC differ in object type. */
export function aacCodecString(profile: string | undefined): string {
  if (profile === 'HE-AAC') return 'mp4a.40.5';
  if (profile === 'HE-AACv2') return 'mp4a.40.29';
  return 'mp4a.40.2';
}

/**
 * The peak bitrate over segments, which is what BANDWIDTH in a master playlist means.
 * `durations` come from EXTINF; `sizes` are the segment files' bytes, in the same order.
 */
export function peakBandwidth(durations: number[], sizes: number[], initBytes = 0): number {
  let peak = 0;
  durations.forEach((d, i) => {
    const bytes = (sizes[i] ?? 0) + (i === 0 ? initBytes : 0);
    if (d > 0.5) peak = Math.max(peak, (bytes * 8) / d);
  });
  if (peak === 0) {
    const total = sizes.reduce((a, b) => a + b, initBytes);
    const seconds = durations.reduce((a, b) => a + b, 0);
    peak = seconds > 0 ? (total * 8) / seconds : 0;
  }
  return Math.max(1, Math.ceil(peak));
}

/** Segment names and their durations, in playlist order. */
export function parseMediaPlaylist(text: string): { segments: { uri: string; duration: number }[]; initUri?: string } {
  const segments: { uri: string; duration: number }[] = [];
  let pending: number | undefined;
  let initUri: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#EXTINF:')) pending = parseFloat(line.slice(8));
    else if (line.startsWith('#EXT-X-MAP:')) initUri = /URI="([^"]+)"/.exec(line)?.[1];
    else if (line && !line.startsWith('#')) {
      segments.push({ uri: line, duration: pending ?? 0 });
      pending = undefined;
    }
  }
  return { segments, initUri };
}

/** A growing playlist for players while the rendition is still being written: EVENT, and not ended yet. */
export function interimPlaylist(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '#EXT-X-ENDLIST')
    .map((l) => (l.startsWith('#EXT-X-PLAYLIST-TYPE:') ? '#EXT-X-PLAYLIST-TYPE:EVENT' : l))
    .join('\n');
}

/** The finished playlist, marked VOD and ended, whatever type it was written as. */
export function vodPlaylist(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => (l.startsWith('#EXT-X-PLAYLIST-TYPE:') ? '#EXT-X-PLAYLIST-TYPE:VOD' : l));
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
  if (lines.at(-1)?.trim() !== '#EXT-X-ENDLIST') lines.push('#EXT-X-ENDLIST');
  return lines.join('\n') + '\n';
}
