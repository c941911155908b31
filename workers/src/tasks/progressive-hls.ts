import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectStorage } from '@timeshift/shared/storage/s3';
import { interimPlaylist, parseMediaPlaylist, vodPlaylist } from '../media/hls-args.ts';
import { contentTypeOf } from './upload-dir.ts';

/**
 * Uploads an HLS rendition while ffmpeg is still writing it. ffmpeg's EVENT playlist lists only finished
 * segments, so whatever it lists can go up; the playlist itself goes up after its segments, so it never
 * names an object that is not in S3 yet.
 */
export function progressiveHls(storage: ObjectStorage, dir: string, keyOf: (name: string) => string) {
  const uploaded = new Set<string>();
  let listed: { segments: { uri: string; duration: number }[]; initUri?: string; text: string } = { segments: [], text: '' };

  async function put(name: string): Promise<void> {
    if (uploaded.has(name)) return;
    await storage.putFile(keyOf(name), join(dir, name), contentTypeOf(name));
    uploaded.add(name);
  }

  return {
    /** Uploads what the playlist lists now; returns how many segments are in S3. */
    async pump(parallel = 8): Promise<number> {
      const text = await readFile(join(dir, 'index.m3u8'), 'utf8').catch(() => '');
      if (!text) return 0;
      const parsed = parseMediaPlaylist(text);
      listed = { ...parsed, text };
      if (parsed.initUri) await put(parsed.initUri);
      const waiting = parsed.segments.map((s) => s.uri).filter((u) => !uploaded.has(u));
      for (let i = 0; i < waiting.length; i += parallel) await Promise.all(waiting.slice(i, i + parallel).map(put));
      return parsed.segments.length;
    },
    /** Puts the playlist of what is uploaded: growing (EVENT, no end) until `final`, then the complete VOD one. */
    async putPlaylist(final: boolean): Promise<void> {
      const text = final ? vodPlaylist(listed.text) : interimPlaylist(listed.text);
      await storage.putText(keyOf('index.m3u8'), text, contentTypeOf('index.m3u8'));
    },
    listed: () => listed,
  };
}
