import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectStorage } from '@timeshift/shared/storage/s3';

const CONTENT_TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  jpg: 'image/jpeg',
};

export function contentTypeOf(name: string): string {
  return CONTENT_TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
}

/**
 * Uploads a folder of HLS output, playlists last, so that a playlist never names a segment
 * that is not in S3 yet. `keyOf` maps a file name to its key.
 */
export async function uploadHlsFolder(storage: ObjectStorage, dir: string, keyOf: (name: string) => string, parallel = 8): Promise<string[]> {
  const names = await readdir(dir);
  const media = names.filter((n) => !n.endsWith('.m3u8'));
  const playlists = names.filter((n) => n.endsWith('.m3u8'));
  const put = (name: string) => storage.putFile(keyOf(name), join(dir, name), contentTypeOf(name));
  for (let i = 0; i < media.length; i += parallel) await Promise.all(media.slice(i, i + parallel).map(put));
  await Promise.all(playlists.map(put));
  return names;
}
