import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@timeshift/shared/config';
import { keys } from '@timeshift/shared/storage/keys';
import { createS3Storage } from '@timeshift/shared/storage/s3';
import { progressiveHls } from '../../workers/src/tasks/progressive-hls.ts';
import { tempDir } from '../support/media.ts';

const playlist = (segments: string[], ended: boolean) =>
  ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-PLAYLIST-TYPE:EVENT', '#EXT-X-MAP:URI="init.mp4"', ...segments.flatMap((s) => ['#EXTINF:6.000000,', s]), ...(ended ? ['#EXT-X-ENDLIST'] : []), ''].join('\n');

describe('a rendition uploaded while ffmpeg writes it', () => {
  it('uploads only what the playlist lists, serves a growing playlist, then the ended VOD one', async () => {
    const storage = createS3Storage(loadConfig().s3);
    const talkId = randomUUID();
    const uploadId = randomUUID();
    const keyOf = (name: string) => keys.hlsFile(talkId, uploadId, `360/${name}`);
    const dir = await tempDir();
    const hls = progressiveHls(storage, dir, keyOf);

    // Nothing written yet: nothing to do.
    expect(await hls.pump()).toBe(0);

    await writeFile(join(dir, 'init.mp4'), 'init');
    await writeFile(join(dir, 'seg_00000.m4s'), 'first');
    await writeFile(join(dir, 'seg_00001.m4s'), 'second, still being written');
    await writeFile(join(dir, 'index.m3u8'), playlist(['seg_00000.m4s'], false));
    expect(await hls.pump()).toBe(1);
    await hls.putPlaylist(false);
    expect(await storage.sizeOf(keyOf('init.mp4'))).toBe(4);
    expect(await storage.sizeOf(keyOf('seg_00000.m4s'))).toBe(5);
    // A segment ffmpeg has not listed may be half-written: it stays local.
    expect(await storage.sizeOf(keyOf('seg_00001.m4s'))).toBeUndefined();
    const growing = await storage.getText(keyOf('index.m3u8'));
    expect(growing).toContain('seg_00000.m4s');
    expect(growing).not.toContain('seg_00001.m4s');
    expect(growing).not.toContain('#EXT-X-ENDLIST');

    await writeFile(join(dir, 'seg_00001.m4s'), 'second');
    await writeFile(join(dir, 'index.m3u8'), playlist(['seg_00000.m4s', 'seg_00001.m4s'], true));
    expect(await hls.pump()).toBe(2);
    await hls.putPlaylist(true);
    expect(await storage.sizeOf(keyOf('seg_00001.m4s'))).toBe(6);
    const finished = await storage.getText(keyOf('index.m3u8'));
    expect(finished).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(finished.trim().endsWith('#EXT-X-ENDLIST')).toBe(true);
    expect(await storage.deletePrefix(keys.hlsPrefix(talkId, uploadId))).toBe(4);
  });
});
