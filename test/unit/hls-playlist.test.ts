import { describe, expect, it } from 'vitest';
import { buildMasterPlaylist, playlistUris, rewritePlaylist } from '../../server/src/services/hls-playlist.ts';

const media = ['#EXTM3U', '#EXT-X-MAP:URI="init.mp4"', '#EXTINF:6.0,', 'seg_00000.m4s', '#EXTINF:6.0,', 'seg_00001.m4s', '#EXT-X-ENDLIST', ''].join('\n');

describe('HLS playlists', () => {
  it('finds every URI: segment lines and URI attributes such as EXT-X-MAP', () => {
    expect(playlistUris(media)).toEqual(['init.mp4', 'seg_00000.m4s', 'seg_00001.m4s']);
  });

  it('rewrites every URI and leaves the tags alone', () => {
    const map = new Map([
      ['init.mp4', 'https://s3/init?sig=1'],
      ['seg_00000.m4s', 'https://s3/0?sig=1'],
      ['seg_00001.m4s', 'https://s3/1?sig=1'],
    ]);
    const out = rewritePlaylist(media, map);
    expect(out).toContain('#EXT-X-MAP:URI="https://s3/init?sig=1"');
    expect(out).toContain('\nhttps://s3/0?sig=1\n');
    expect(out).toContain('#EXT-X-ENDLIST');
    expect(out).not.toMatch(/^seg_/m);
  });

  it('refuses to pass an unsigned URI through', () => {
    expect(() => rewritePlaylist(media, new Map([['init.mp4', 'x']]))).toThrow(/seg_00000/);
  });

  it('lists variants by rising bandwidth with resolution and codecs', () => {
    const text = buildMasterPlaylist([
      { bandwidth: 5_000_000, width: 1920, height: 1080, codecs: 'avc1.640028,mp4a.40.2', uri: '1080/index.m3u8?token=t' },
      { bandwidth: 800_000, width: 640, height: 360, codecs: 'avc1.64001e,mp4a.40.2', uri: '360/index.m3u8?token=t' },
    ]);
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('#EXTM3U');
    expect(lines[3]).toBe('#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2"');
    expect(lines[4]).toBe('360/index.m3u8?token=t');
    expect(lines[6]).toBe('1080/index.m3u8?token=t');
  });
});
