import type { StoryboardGeometry } from './db/schema.ts';

function vttTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/** The WebVTT thumbnails track for seek-bar previews: one cue per tile, pointing into the sprite by #xywh. */
export function storyboardVtt(g: StoryboardGeometry, durationSeconds: number, spriteUrl: string): string {
  const cues = ['WEBVTT', ''];
  for (let i = 0; i < g.count; i++) {
    const start = i * g.interval;
    if (start >= durationSeconds) break;
    const end = Math.min(durationSeconds, start + g.interval);
    const x = (i % g.columns) * g.tileWidth;
    const y = Math.floor(i / g.columns) * g.tileHeight;
    cues.push(`${vttTime(start)} --> ${vttTime(end)}`, `${spriteUrl}#xywh=${x},${y},${g.tileWidth},${g.tileHeight}`, '');
  }
  return cues.join('\n');
}
