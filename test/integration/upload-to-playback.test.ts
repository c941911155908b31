import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, startTestWorker, type TestApp } from '../support/app.ts';
import { decodeFrames, makeClip, probeDuration, tempDir } from '../support/media.ts';
import { multipart } from '../support/http.ts';

const exec = promisify(execFile);

describe('a demo speaker’s talk goes from upload to HLS playback', () => {
  let t: TestApp;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    worker = await startTestWorker();
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
  });

  async function login(email: string): Promise<string> {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: process.env.DEMO_PASSWORD || 'timeshift-demo' }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    return cookie.split(';')[0]!;
  }

  it('plays a 20 s H.264/AAC clip through presigned S3 URLs, decoding to the right duration', async () => {
    const facilitator = await login('facilitator@demo.test');
    const speaker = await login('speaker@demo.test');
    const now = Date.now();
    const meetingRes = await fetch(`${base}/api/v1/meetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: facilitator },
      body: JSON.stringify({ title: 'Quarterly all-hands', windowOpensAt: new Date(now - 3600_000).toISOString(), windowClosesAt: new Date(now + 3 * 86400_000).toISOString() }),
    });
    expect(meetingRes.status).toBe(201);
    const meeting = (await meetingRes.json()) as { id: string; phase: string };
    expect(meeting.phase).toBe('open');

    const talkRes = await fetch(`${base}/api/v1/meetings/${meeting.id}/talks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: speaker },
      body: JSON.stringify({ title: 'What we shipped' }),
    });
    expect(talkRes.status).toBe(201);
    const talk = (await talkRes.json()) as { id: string; state: string };
    expect(talk.state).toBe('draft');

    const dir = await tempDir();
    const clip = await makeClip(join(dir, 'clip.mp4'), { seconds: 20, width: 640, height: 360 });
    const { readFile } = await import('node:fs/promises');
    const body = multipart(await readFile(clip), 'clip.mp4');
    const upload = await fetch(`${base}/api/v1/talks/${talk.id}/source`, { method: 'POST', headers: { ...body.headers, cookie: speaker }, body: body.payload });
    expect(upload.status).toBe(202);
    expect(((await upload.json()) as { state: string }).state).toBe('processing');

    let state = '';
    let details: Record<string, unknown> = {};
    for (let i = 0; i < 300 && state !== 'playable'; i++) {
      details = (await (await fetch(`${base}/api/v1/talks/${talk.id}`, { headers: { cookie: speaker } })).json()) as Record<string, unknown>;
      state = details.state as string;
      expect(['processing', 'playable']).toContain(state);
      if (state !== 'playable') await new Promise((r) => setTimeout(r, 200));
    }
    expect(state).toBe('playable');
    expect(details.renditions).toEqual([expect.objectContaining({ height: 360 })]);
    expect(Math.abs((details.durationSeconds as number) - 20)).toBeLessThan(0.5);

    const playback = (await (await fetch(`${base}/api/v1/talks/${talk.id}/playback`, { headers: { cookie: speaker } })).json()) as { masterPlaylistUrl: string; expiresAt: string };
    expect(playback.masterPlaylistUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/talks\/.+\/hls\/master\.m3u8\?token=/);
    expect(new Date(playback.expiresAt).getTime()).toBeGreaterThan(Date.now());

    const master = await (await fetch(playback.masterPlaylistUrl)).text();
    expect(master).toMatch(/#EXT-X-STREAM-INF:BANDWIDTH=\d+,RESOLUTION=640x360,CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/);
    const variant = master.split('\n').find((l) => l && !l.startsWith('#'))!;
    const mediaUrl = new URL(variant, playback.masterPlaylistUrl).href;
    const media = await (await fetch(mediaUrl)).text();
    expect(media).toContain('#EXT-X-ENDLIST');
    const initUrl = /#EXT-X-MAP:URI="([^"]+)"/.exec(media)?.[1];
    expect(initUrl).toMatch(new RegExp(`^${process.env.S3_ENDPOINT}/.+init\\.mp4\\?.*X-Amz-Signature=`));
    const segmentUrls = media.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(segmentUrls.length).toBeGreaterThan(1);
    for (const u of segmentUrls) expect(u).toMatch(/X-Amz-Expires=\d+/);

    // The video bytes come from S3, not the API: fetch the init segment and the first segment and decode them.
    const init = Buffer.from(await (await fetch(initUrl!)).arrayBuffer());
    const first = await fetch(segmentUrls[0]!);
    expect(first.status).toBe(200);
    const segmentFile = join(dir, 'first.mp4');
    await writeFile(segmentFile, Buffer.concat([init, Buffer.from(await first.arrayBuffer())]));
    expect(await decodeFrames(segmentFile)).toBeGreaterThan(0);

    // The whole stream, as a player sees it through the master playlist, has the source's duration.
    const duration = await probeDuration(playback.masterPlaylistUrl);
    expect(Math.abs(duration - 20)).toBeLessThan(0.5);
    const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', playback.masterPlaylistUrl, '-f', 'null', '-']);
    expect(stdout).toBe('');
  });
});
