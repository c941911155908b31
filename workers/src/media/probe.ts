import type { ProbeData, ProbeStream } from './ffmpeg.ts';

export type SourceVerdict =
  | {
      ok: true;
      /** Absent for an audio-only recording, which is shown over a still slate. */
      video?: ProbeStream;
      audio?: ProbeStream;
      durationSeconds: number;
      width: number;
      height: number;
      rotation: number;
    }
  | { ok: false; reason: string };

function rotationOf(stream: ProbeStream): number {
  const fromSide = stream.side_data_list?.find((s) => typeof s.rotation === 'number')?.rotation;
  const fromTag = stream.tags?.rotate !== undefined ? Number(stream.tags.rotate) : undefined;
  const raw = fromSide ?? fromTag ?? 0;
  return ((Math.round(raw / 90) * 90) % 360 + 360) % 360;
}

/** The slate an audio-only talk is shown over. */
export const STILL_WIDTH = 1280;
export const STILL_HEIGHT = 720;

/** A filter-graph source of the slate, as long as the recording, for talks that have sound but no picture. */
export function stillSource(durationSeconds: number, width = STILL_WIDTH, height = STILL_HEIGHT): string {
  return `color=c=0x1e293b:s=${width}x${height}:r=25:d=${durationSeconds.toFixed(3)}`;
}

/** Decides from ffprobe's answer whether a recording can be made into a talk, and says why not. */
export function judgeSource(probe: ProbeData, maxDurationSeconds: number): SourceVerdict {
  // Cover art in MP3/M4A files shows up as a one-frame "video" stream; it is not a recording.
  const video = probe.streams.find((s) => s.codec_type === 'video' && s.codec_name !== 'mjpeg' && s.codec_name !== 'png');
  const audio = probe.streams.find((s) => s.codec_type === 'audio');
  if (!video && !audio) return { ok: false, reason: 'This file has no video or audio track. Export the recording as MP4 (H.264) and upload it again.' };
  const width = video ? (video.width ?? 0) : STILL_WIDTH;
  const height = video ? (video.height ?? 0) : STILL_HEIGHT;
  if (width < 16 || height < 16) return { ok: false, reason: 'The video track has no usable picture size. Export the recording again and upload it.' };
  const duration = Number(probe.format.duration ?? (video ?? audio)?.duration ?? NaN);
  if (!Number.isFinite(duration) || duration <= 0) return { ok: false, reason: 'The recording has no readable duration; it may be cut off. Export it again and upload it.' };
  if (duration > maxDurationSeconds) {
    return { ok: false, reason: `The recording is ${formatDuration(duration)} long; talks can be at most ${formatDuration(maxDurationSeconds)}. Trim it and upload it again.` };
  }
  const rotation = video ? rotationOf(video) : 0;
  const turned = rotation === 90 || rotation === 270;
  return { ok: true, video, audio, durationSeconds: duration, width: turned ? height : width, height: turned ? width : height, rotation };
}

export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min ${Math.round(seconds % 60)} s`;
}
