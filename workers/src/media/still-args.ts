// Pure builders for the poster and the storyboard sprite.
import type { StoryboardGeometry } from '@timeshift/shared/db/schema';
import { stillSource } from './probe.ts';

/**
 * Where to look for the poster: a tenth into the talk (past title cards and black fades), at most a minute in.
 * The `thumbnail` filter then picks the most typical of the next frames, so a single black frame never wins.
 */
export function posterArgs(durationSeconds: number, hasPicture = true): { inputOptions: string[]; outputOptions: string[] } {
  const still = ['-frames:v', '1', '-q:v', '3', '-update', '1'];
  // A recording with sound only gets its slate as the poster.
  if (!hasPicture) return { inputOptions: [], outputOptions: ['-filter_complex', `${stillSource(1)}[poster]`, '-map', '[poster]', ...still] };
  const at = Math.min(60, durationSeconds * 0.1);
  return {
    inputOptions: ['-ss', at.toFixed(2)], // input seeking: fast, from the nearest keyframe
    outputOptions: ['-vf', 'thumbnail=60,scale=-2:720:flags=bicubic', ...still],
  };
}

export const STORYBOARD_MAX_TILES = 100;
export const TILE_WIDTH = 160;

/** Thumbnails spread over the whole talk, at most 100, at least 2 s apart, tiled 10 across. */
export function planStoryboard(durationSeconds: number, width: number, height: number): StoryboardGeometry {
  const interval = Math.max(2, Math.ceil(durationSeconds / STORYBOARD_MAX_TILES));
  const count = Math.max(1, Math.min(STORYBOARD_MAX_TILES, Math.ceil(durationSeconds / interval)));
  const columns = Math.min(10, count);
  const rows = Math.ceil(count / columns);
  const tileHeight = Math.max(2, Math.round((TILE_WIDTH * height) / width / 2) * 2);
  return { interval, columns, rows, count, tileWidth: TILE_WIDTH, tileHeight };
}

export function storyboardArgs(g: StoryboardGeometry, stillSeconds?: number): string[] {
  // One frame per interval, sampled at its start, scaled to a tile, tiled into one sprite.
  const chain = `fps=1/${g.interval}:start_time=0,scale=${g.tileWidth}:${g.tileHeight}:flags=bicubic,tile=${g.columns}x${g.rows}`;
  const picture = stillSeconds === undefined ? ['-vf', chain] : ['-filter_complex', `${stillSource(stillSeconds)},${chain}[board]`, '-map', '[board]'];
  return [...picture, '-frames:v', '1', '-q:v', '5', '-an', '-sn'];
}
