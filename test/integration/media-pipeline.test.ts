import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { startMediaWorld, waitUntilSettled, type MediaWorld } from '../support/media-world.ts';
import { uploadFile, waitForTalk } from '../support/http.ts';
import { makeClip, tempDir } from '../support/media.ts';
import type { Org } from '../support/people.ts';
import { mediaRepository, stepsRepository } from '../../workers/src/repositories/media.ts';
import { purgeUpload } from '../../workers/src/tasks/purge-upload.ts';

const exec = promisify(execFile);

describe('the media pipeline', () => {
  let t: TestApp;
  let org: Org;
  let meetingId: string;
  let dir: string;

  const waitUntilReady = (talkId: string) => waitUntilSettled(t.app, org.speaker.cookie, talkId);

  async function uploadClip(file: string) {
    const talk = (await t.app.inject({ method: 'POST', url: `/api/v1/meetings/${meetingId}/talks`, headers: { cookie: org.speaker.cookie }, payload: { title: 'Pipeline' } })).json();
    expect((await uploadFile(t.app, org.speaker.cookie, talk.id, file)).statusCode).toBe(202);
    return talk.id as string;
  }

  async function playback(talkId: string) {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/talks/${talkId}/playback`, headers: { cookie: org.speaker.cookie } });
    expect(res.statusCode).toBe(200);
    return res.json() as { masterPlaylistUrl: string; posterUrl: string | null; storyboardUrl?: string };
  }

  const apiPath = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');

  let world: MediaWorld;
  beforeAll(async () => {
    world = await startMediaWorld('Pipeline');
    ({ t, org, meetingId } = world);
    dir = await tempDir();
  });
  afterAll(() => world?.close());

  it('turns a 720p H.264 talk into an aligned 720/480/360 ladder with poster and storyboard, then marks it ready', async () => {
    const clip = await makeClip(join(dir, 'talk720.mp4'), { seconds: 14, width: 1280, height: 720, fps: 25 });
    const talkId = await uploadClip(clip);
    expect((await waitForTalk(t.app, org.speaker.cookie, talkId)).state).toBe('playable');
    const ready = await waitUntilReady(talkId);
    expect(ready.state, JSON.stringify(ready.steps)).toBe('ready');
    expect(ready.steps.map((s: { step: string; state: string; percent: number }) => [s.step, s.state, s.percent]).sort()).toEqual([
      ['captions', 'done', 100],
      ['ladder', 'done', 100],
      ['poster', 'done', 100],
      ['storyboard', 'done', 100],
    ]);
    expect(ready.renditions.map((r: { height: number }) => r.height)).toEqual([720, 480, 360]);
    expect(ready.renditions.map((r: { width: number }) => r.width)).toEqual([1280, 854, 640]);

    const pb = await playback(talkId);
    const master = (await t.app.inject({ method: 'GET', url: apiPath(pb.masterPlaylistUrl) })).body;
    const infs = master.split('\n').filter((l) => l.startsWith('#EXT-X-STREAM-INF'));
    expect(infs).toHaveLength(3);
    for (const inf of infs) expect(inf).toMatch(/BANDWIDTH=\d+,RESOLUTION=\d+x\d+,CODECS="avc1\.64[0-9a-f]{4},mp4a\.40\.2"/);
    const bandwidths = infs.map((l) => Number(/BANDWIDTH=(\d+)/.exec(l)![1]));
    expect(bandwidths).toEqual([...bandwidths].sort((a, b) => a - b));

    // Every rung cuts its segments at the same instants, so players switch rungs cleanly.
    const variantPaths = master.split('\n').filter((l) => l && !l.startsWith('#'));
    const durations = [];
    for (const v of variantPaths) {
      const media = (await t.app.inject({ method: 'GET', url: apiPath(new URL(v, pb.masterPlaylistUrl).href) })).body;
      durations.push(media.split('\n').filter((l) => l.startsWith('#EXTINF:')).join());
    }
    expect(new Set(durations).size).toBe(1);
    expect(durations[0]).toMatch(/^#EXTINF:6\.0+,,#EXTINF:6\.0+,,#EXTINF:2\.0+,$/);

    // The poster is a real 720p JPEG taken from inside the talk.
    expect(pb.posterUrl).toMatch(/poster\.jpg\?.*X-Amz-Signature=/);
    const { stdout } = await exec('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', pb.posterUrl!]);
    expect(JSON.parse(stdout).streams[0]).toEqual({ codec_name: 'mjpeg', width: 1280, height: 720 });

    // Storyboard: one tile every 2 s of a 14 s talk, pointing into a presigned sprite.
    const vtt = (await t.app.inject({ method: 'GET', url: apiPath(pb.storyboardUrl!) })).body;
    const cues = vtt.split('\n').filter((l) => l.includes('#xywh='));
    expect(cues).toHaveLength(7);
    expect(cues[1]).toMatch(/storyboard\.jpg\?.*#xywh=160,0,160,90$/);
    expect(vtt).toContain('00:00:12.000 --> 00:00:14.000');
  });

  it('gives a VP9/Opus browser recording a fast H.264 rendition, then the ladder', async () => {
    const clip = await makeClip(join(dir, 'browser.webm'), { seconds: 6, width: 640, height: 480, video: 'vp9', audio: 'opus', container: 'webm' });
    const talkId = await uploadClip(clip);
    const playable = await waitForTalk(t.app, org.speaker.cookie, talkId);
    expect(playable.state).toBe('playable');
    expect(playable.renditions).toEqual([expect.objectContaining({ height: 480, width: 640 })]);
    const ready = await waitUntilReady(talkId);
    expect(ready.state, JSON.stringify(ready.steps)).toBe('ready');
    expect(ready.renditions.map((r: { height: number }) => r.height)).toEqual([480, 360]);
    const master = (await t.app.inject({ method: 'GET', url: apiPath((await playback(talkId)).masterPlaylistUrl) })).body;
    expect(master).toContain('mp4a.40.2');
  });

  it('replaces a recording: playback switches to the new one, and the old one is purged later', async () => {
    const first = await makeClip(join(dir, 'v1.mp4'), { seconds: 4, width: 320, height: 240 });
    const second = await makeClip(join(dir, 'v2.mp4'), { seconds: 6, width: 640, height: 360 });
    const talkId = await uploadClip(first);
    const v1 = await waitForTalk(t.app, org.speaker.cookie, talkId);
    expect(v1.durationSeconds).toBeCloseTo(4, 0);
    const oldUpload = (await t.db.selectFrom('talks').select('playing_upload_id').where('id', '=', talkId).executeTakeFirstOrThrow()).playing_upload_id!;
    await waitUntilReady(talkId);

    expect((await uploadFile(t.app, org.speaker.cookie, talkId, second)).statusCode).toBe(202);
    // While the replacement is processed, the current version still plays.
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/talks/${talkId}/playback`, headers: { cookie: org.speaker.cookie } })).statusCode).toBe(200);
    const v2 = await waitForTalk(t.app, org.speaker.cookie, talkId);
    expect(v2.state).toBe('playable');
    expect(v2.durationSeconds).toBeCloseTo(6, 0);

    const purge = await t.db
      .selectFrom('graphile_worker.jobs' as never)
      .select(['run_at'] as never[])
      .where('key' as never, '=', `purge:${oldUpload}` as never)
      .executeTakeFirst() as { run_at: Date } | undefined;
    expect(purge).toBeDefined();
    expect(purge!.run_at.getTime()).toBeGreaterThan(Date.now() + 20 * 60_000);

    // When the purge runs, the old upload's objects go and the playing one's stay.
    const newUpload = (await t.db.selectFrom('talks').select('playing_upload_id').where('id', '=', talkId).executeTakeFirstOrThrow()).playing_upload_id!;
    const deps = { media: mediaRepository(t.db), steps: stepsRepository(t.db), storage: t.storage, maxDurationSeconds: 3600, log: () => undefined, enqueue: async () => undefined };
    expect(await purgeUpload(deps, { talkId, uploadId: oldUpload })).toBeGreaterThan(3);
    expect(await purgeUpload(deps, { talkId, uploadId: oldUpload })).toBe(0);
    expect(await purgeUpload(deps, { talkId, uploadId: newUpload })).toBe(0);
    expect((await t.app.inject({ method: 'GET', url: apiPath((await playback(talkId)).masterPlaylistUrl) })).statusCode).toBe(200);
  });
});
