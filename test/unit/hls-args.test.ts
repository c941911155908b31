import { describe, expect, it } from 'vitest';
import { aacCodecString, avcCodecString, firstRenditionArgs, interimPlaylist, parseMediaPlaylist, peakBandwidth, vodPlaylist } from '../../workers/src/media/hls-args.ts';
import { judgeSource } from '../../workers/src/media/probe.ts';
import type { ProbeData } from '../../workers/src/media/ffmpeg.ts';

function probe(video: Record<string, unknown> | null, audio: Record<string, unknown> | null, duration = 60): ProbeData {
  const streams = [];
  if (video) streams.push({ index: 0, codec_type: 'video', width: 1920, height: 1080, pix_fmt: 'yuv420p', ...video });
  if (audio) streams.push({ index: 1, codec_type: 'audio', ...audio });
  return { streams, format: { duration: String(duration) } } as ProbeData;
}

function accepted(p: ProbeData) {
  const v = judgeSource(p, 4 * 3600);
  if (!v.ok) throw new Error(v.reason);
  return v;
}

function valueAfter(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

describe('first rendition arguments', () => {
  it('stream-copies H.264/AAC so that the talk is playable in seconds', () => {
    const plan = firstRenditionArgs(accepted(probe({ codec_name: 'h264' }, { codec_name: 'aac' })), '/out');
    expect(plan.copiesVideo).toBe(true);
    expect(valueAfter(plan.outputOptions, '-c:v')).toBe('copy');
    expect(valueAfter(plan.outputOptions, '-c:a')).toBe('copy');
    expect(plan.height).toBe(1080);
  });

  it('re-encodes VP9/Opus from a browser recorder to H.264/AAC at most 720p', () => {
    const plan = firstRenditionArgs(accepted(probe({ codec_name: 'vp9' }, { codec_name: 'opus' })), '/out');
    expect(plan.copiesVideo).toBe(false);
    expect(valueAfter(plan.outputOptions, '-c:v')).toBe('libx264');
    expect(valueAfter(plan.outputOptions, '-preset')).toBe('veryfast');
    expect(valueAfter(plan.outputOptions, '-c:a')).toBe('aac');
    expect(plan.height).toBe(720);
    expect(plan.width).toBe(1280);
    expect(valueAfter(plan.outputOptions, '-vf')).toBe('scale=1280:720');
  });

  it('never upscales a small source', () => {
    const plan = firstRenditionArgs(accepted(probe({ codec_name: 'hevc', width: 640, height: 360 }, null)), '/out');
    expect(plan.height).toBe(360);
  });

  it('re-encodes a rotated phone video so the picture stands upright, with swapped dimensions', () => {
    const plan = firstRenditionArgs(accepted(probe({ codec_name: 'h264', width: 1920, height: 1080, side_data_list: [{ rotation: -90 }] }, { codec_name: 'aac' })), '/out');
    expect(plan.copiesVideo).toBe(false);
    expect(plan.width).toBe(720);
    expect(plan.height).toBe(1280);
  });

  it('re-encodes 10-bit H.264, which browsers do not decode', () => {
    const plan = firstRenditionArgs(accepted(probe({ codec_name: 'h264', pix_fmt: 'yuv420p10le' }, { codec_name: 'aac' })), '/out');
    expect(plan.copiesVideo).toBe(false);
  });

  it('maps no audio stream when the source is silent', () => {
    const plan = firstRenditionArgs(accepted(probe({ codec_name: 'h264' }, null)), '/out');
    expect(plan.outputOptions.join(' ')).not.toContain('0:a:0');
    expect(plan.outputOptions).not.toContain('-c:a');
  });

  it('writes a VOD fMP4 HLS playlist with 6 s segments into the given folder', () => {
    const { outputOptions } = firstRenditionArgs(accepted(probe({ codec_name: 'h264' }, { codec_name: 'aac' })), '/tmp/x');
    expect(valueAfter(outputOptions, '-f')).toBe('hls');
    expect(valueAfter(outputOptions, '-hls_time')).toBe('6');
    // EVENT while it is written, so the talk plays early; the stored final playlist is made VOD.
    expect(valueAfter(outputOptions, '-hls_playlist_type')).toBe('event');
    expect(valueAfter(outputOptions, '-hls_segment_type')).toBe('fmp4');
    expect(valueAfter(outputOptions, '-hls_segment_filename')).toBe('/tmp/x/seg_%05d.m4s');
  });
});

describe('judging a source', () => {
  it('rejects a file with neither picture nor sound, saying so', () => {
    const v = judgeSource(probe(null, null), 3600);
    expect(v).toEqual({ ok: false, reason: expect.stringMatching(/no video or audio track/) });
  });

  it('accepts sound-only recordings, treating MP3 cover art as no picture, and shows them over a 720p slate', () => {
    for (const p of [probe(null, { codec_name: 'mp3' }), probe({ codec_name: 'mjpeg' }, { codec_name: 'mp3' })]) {
      const v = accepted(p);
      expect(v.video).toBeUndefined();
      const plan = firstRenditionArgs(v, '/out');
      expect(plan.copiesVideo).toBe(false);
      expect([plan.width, plan.height]).toEqual([1280, 720]);
      expect(valueAfter(plan.outputOptions, '-filter_complex')).toMatch(/^color=c=0x[0-9a-f]+:s=1280x720:r=25:d=60\.000\[still\]$/);
      expect(valueAfter(plan.outputOptions, '-map')).toBe('[still]');
      expect(plan.outputOptions).toContain('0:a:0');
    }
  });

  it('rejects a recording longer than the limit, naming both lengths', () => {
    const v = judgeSource(probe({ codec_name: 'h264' }, null, 5 * 3600), 4 * 3600);
    expect(v).toEqual({ ok: false, reason: expect.stringMatching(/5 h 0 min.*4 h 0 min/) });
  });

  it('rejects a stream without a duration', () => {
    expect(judgeSource(probe({ codec_name: 'h264' }, null, Number.NaN), 3600).ok).toBe(false);
  });
});

describe('codec strings', () => {
  it('writes RFC 6381 strings for common H.264 profiles and levels', () => {
    expect(avcCodecString('High', 40)).toBe('avc1.640028');
    expect(avcCodecString('Main', 31)).toBe('avc1.4d401f');
    expect(avcCodecString('Constrained Baseline', 30)).toBe('avc1.42e01e');
  });

  it('tells HE-AAC from AAC-LC', () => {
    expect(aacCodecString('LC')).toBe('mp4a.40.2');
    expect(aacCodecString('HE-AAC')).toBe('mp4a.40.5');
  });
});

describe('media playlists', () => {
  const text = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-TARGETDURATION:6', '#EXT-X-MAP:URI="init.mp4"', '#EXTINF:6.000,', 'seg_00000.m4s', '#EXTINF:4.000,', 'seg_00001.m4s', '#EXT-X-ENDLIST'].join('\n');

  it('lists segments with their durations and the init segment', () => {
    expect(parseMediaPlaylist(text)).toEqual({
      initUri: 'init.mp4',
      segments: [
        { uri: 'seg_00000.m4s', duration: 6 },
        { uri: 'seg_00001.m4s', duration: 4 },
      ],
    });
  });

  it('takes BANDWIDTH as the peak segment bitrate, not the average', () => {
    // 6 s of 600 kB is 800 kbit/s; 4 s of 800 kB is 1.6 Mbit/s.
    expect(peakBandwidth([6, 4], [600_000, 800_000])).toBe(1_600_000);
  });
});

describe('growing and finished playlists', () => {
  const growing = ['#EXTM3U', '#EXT-X-PLAYLIST-TYPE:EVENT', '#EXT-X-MAP:URI="init.mp4"', '#EXTINF:6.0,', 'seg_00000.m4s', ''].join('\n');
  const finished = ['#EXTM3U', '#EXT-X-PLAYLIST-TYPE:EVENT', '#EXT-X-MAP:URI="init.mp4"', '#EXTINF:6.0,', 'seg_00000.m4s', '#EXTINF:2.0,', 'seg_00001.m4s', '#EXT-X-ENDLIST', ''].join('\n');

  it('serves a rendition still being written as an EVENT playlist without an end, so players keep asking', () => {
    expect(interimPlaylist(finished)).not.toContain('#EXT-X-ENDLIST');
    expect(interimPlaylist(finished)).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(interimPlaylist(growing)).toBe(growing);
  });

  it('stores the finished rendition as an ended VOD playlist with every segment', () => {
    const vod = vodPlaylist(finished);
    expect(vod).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(vod.trim().split('\n').at(-1)).toBe('#EXT-X-ENDLIST');
    expect(vod.match(/#EXT-X-ENDLIST/g)).toHaveLength(1);
    expect(parseMediaPlaylist(vod).segments.map((s) => s.uri)).toEqual(['seg_00000.m4s', 'seg_00001.m4s']);
    expect(vodPlaylist(growing)).toMatch(/seg_00000\.m4s\n#EXT-X-ENDLIST\n$/);
  });
});
