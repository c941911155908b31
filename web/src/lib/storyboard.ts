// Seek-bar previews: a WebVTT "thumbnails" track whose cues point into one sprite image by #xywh=x,y,w,h.

export interface StoryboardTile {
  startSec: number;
  endSec: number;
  image: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

function seconds(stamp: string): number | undefined {
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(stamp.trim());
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number((m[4] ?? '0').padEnd(3, '0')) / 1000;
}

/** The tiles of a thumbnails track; image addresses are resolved against the track's own URL. */
export function parseStoryboard(vtt: string, trackUrl: string): StoryboardTile[] {
  const tiles: StoryboardTile[] = [];
  for (const block of vtt.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
    const lines = block.split('\n').filter((l) => l.trim());
    const timing = lines.findIndex((l) => l.includes('-->'));
    const target = lines[timing + 1];
    if (timing < 0 || !target) continue;
    const [from = '', to = ''] = lines[timing]!.split('-->');
    const startSec = seconds(from);
    const endSec = seconds(to.trim().split(/\s+/)[0] ?? '');
    const hash = target.lastIndexOf('#xywh=');
    const box = hash >= 0 ? target.slice(hash + 6).split(',').map(Number) : [];
    if (startSec === undefined || endSec === undefined || box.length !== 4 || box.some((n) => !Number.isFinite(n))) continue;
    let image: string;
    try {
      image = new URL(target.slice(0, hash), trackUrl).href;
    } catch {
      continue;
    }
    const [x, y, width, height] = box as [number, number, number, number];
    tiles.push({ startSec, endSec, image, x, y, width, height });
  }
  return tiles;
}

/** The tile shown at a moment: the cue covering it, or the last one before it. */
export function tileAt(tiles: StoryboardTile[], at: number): StoryboardTile | undefined {
  let found: StoryboardTile | undefined;
  for (const tile of tiles) {
    if (tile.startSec > at) break;
    found = tile;
  }
  return found;
}
