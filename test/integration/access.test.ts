import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, startTestWorker, type TestApp } from '../support/app.ts';
import { uploadFile, waitForTalk } from '../support/http.ts';
import { makeClip, tempDir } from '../support/media.ts';
import { createOrg, type Org } from '../support/people.ts';

// The one test that runs on the real clock: S3 itself must refuse a saved segment URL once the window has closed.
describe('a viewer’s presigned segment URLs die with the viewing window', () => {
  let t: TestApp;
  let org: Org;

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrg(t.app, t.db);
  });
  afterAll(async () => t?.close());

  it('a saved segment URL plays before the close and gets 403 from S3 after it', async () => {
    const inject = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) => t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });
    // Long enough to upload and process a short clip, short enough to wait out.
    const closesAt = new Date(Date.now() + 25_000);
    const meeting = (await inject('POST', '/meetings', org.facilitator.cookie, { title: 'Short window', windowOpensAt: new Date(Date.now() - 60_000).toISOString(), windowClosesAt: closesAt.toISOString() })).json();
    const talk = (await inject('POST', `/meetings/${meeting.id}/talks`, org.speaker.cookie, { title: 'Quick update' })).json();
    const worker = await startTestWorker();
    try {
      const clip = await makeClip(join(await tempDir(), 'clip.mp4'), { seconds: 4, width: 320, height: 180 });
      expect((await uploadFile(t.app, org.speaker.cookie, talk.id, clip)).statusCode).toBe(202);
      expect((await waitForTalk(t.app, org.speaker.cookie, talk.id)).state).toBe('playable');
    } finally {
      await worker.stop();
    }

    const playback = await inject('GET', `/talks/${talk.id}/playback`, org.member.cookie);
    expect(playback.statusCode).toBe(200);
    expect(playback.json().expiresAt).toBe(closesAt.toISOString());
    const master = await t.app.inject({ method: 'GET', url: new URL(playback.json().masterPlaylistUrl).pathname + new URL(playback.json().masterPlaylistUrl).search });
    const variant = master.body.split('\n').find((l) => l && !l.startsWith('#'))!;
    const media = await t.app.inject({ method: 'GET', url: `/api/v1/talks/${talk.id}/hls/${variant}` });
    expect(media.statusCode).toBe(200);
    const segmentUrl = media.body.split('\n').find((l) => l.startsWith('http'))!;
    expect(segmentUrl).toMatch(/X-Amz-Expires=\d+/);
    const expires = Number(/X-Amz-Expires=(\d+)/.exec(segmentUrl)![1]);
    const signedAt = /X-Amz-Date=(\d{8}T\d{6}Z)/.exec(segmentUrl)![1]!;
    const signed = Date.parse(`${signedAt.slice(0, 4)}-${signedAt.slice(4, 6)}-${signedAt.slice(6, 8)}T${signedAt.slice(9, 11)}:${signedAt.slice(11, 13)}:${signedAt.slice(13, 15)}Z`);
    // The URL's own expiry is the window's close (to the second SigV4 can express), never later.
    expect(signed + expires * 1000).toBeLessThanOrEqual(closesAt.getTime());
    expect(signed + expires * 1000).toBeGreaterThan(closesAt.getTime() - 2000);

    expect((await fetch(segmentUrl)).status).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, closesAt.getTime() - Date.now()) + 1500));
    expect((await fetch(segmentUrl)).status).toBe(403);
    // And the API hands out nothing new: the window is shut for the audience, the speaker still previews.
    expect((await inject('GET', `/talks/${talk.id}/playback`, org.member.cookie)).json().error.code).toBe('WINDOW_CLOSED');
    expect((await inject('GET', `/talks/${talk.id}/playback`, org.speaker.cookie)).statusCode).toBe(200);
  });
});
