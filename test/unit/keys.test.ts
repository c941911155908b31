import { describe, expect, it } from 'vitest';
import { keys } from '@timeshift/shared/storage/keys';

const talk = '11111111-2222-4333-8444-555555555555';
const upload = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

describe('S3 keys', () => {
  it('places a source under its talk and upload ids', () => {
    expect(keys.source(talk, upload)).toBe(`talks/${talk}/sources/${upload}`);
  });

  it('places HLS files under the upload they came from, so a replacement never overwrites playing media', () => {
    expect(keys.hlsFile(talk, upload, '720/seg_00001.m4s')).toBe(`talks/${talk}/hls/${upload}/720/seg_00001.m4s`);
  });

  it.each(['../x', 'talks/../../etc', '', 'x/y/z', 'a b', '720/../../other', 'SEG.m4s'])('refuses the file name %j', (name) => {
    expect(() => keys.hlsFile(talk, upload, name)).toThrow();
  });

  it.each(['not-a-uuid', '../../', `${talk}/x`, ''])('refuses an id that is not a uuid: %j', (id) => {
    expect(() => keys.source(id, upload)).toThrow(/uuid/);
    expect(() => keys.source(talk, id)).toThrow(/uuid/);
  });
});
