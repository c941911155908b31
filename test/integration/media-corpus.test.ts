import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { startMediaWorld, waitUntilSettled, type MediaWorld } from '../support/media-world.ts';
import { multipart, waitForTalk } from '../support/http.ts';
import { makeClip, tempDir } from '../support/media.ts';
import type { Org } from '../support/people.ts';

const exec = promisify(execFile);

// Every kind of awkward recording ends in a defined state with a clear reason, and no job stays stuck.
describe('awkward recordings', () => {
  let t: TestApp;
  let org: Org;
  let meetingId: string;
  let dir: string;

  let world: MediaWorld;
  beforeAll(async () => {
    world = await startMediaWorld('Corpus');
    ({ t, org, meetingId } = world);
    dir = await tempDir();
  });
  afterAll(() => world?.close());

  async function upload(file: string, fileName: string) {
    const talk = (await t.app.inject({ method: 'POST', url: `/api/v1/meetings/${meetingId}/talks`, headers: { cookie: org.speaker.cookie }, payload: { title: fileName } })).json();
    const body = multipart(await readFile(file), fileName);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/talks/${talk.id}/source`, payload: body.payload, headers: { ...body.headers, cookie: org.speaker.cookie } });
    expect(res.statusCode).toBe(202);
    return talk.id as string;
  }

  async function settled(talkId: string) {
    const first = await waitForTalk(t.app, org.speaker.cookie, talkId, 90_000);
    return first.state === 'failed' ? first : waitUntilSettled(t.app, org.speaker.cookie, talkId, 180_000);
  }

  it('shows a sound-only recording over a slate, with a poster, and reaches ready', async () => {
    const file = join(dir, 'podcast.m4a');
    await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=48000', '-t', '5', '-c:a', 'aac', file]);
    const talk = await settled(await upload(file, 'podcast.m4a'));
    expect(talk.state, JSON.stringify(talk.steps)).toBe('ready');
    expect(talk.renditions.map((r: { width: number; height: number }) => `${r.width}x${r.height}`)).toEqual(['1280x720', '854x480', '640x360']);
    expect(talk.posterUrl).toMatch(/poster\.jpg/);
  });

  it('plays a picture-only recording, skipping captions instead of failing them', async () => {
    const file = await makeClip(join(dir, 'silent.mp4'), { seconds: 4, width: 320, height: 240, audio: 'none' });
    const talk = await settled(await upload(file, 'silent.mp4'));
    expect(talk.state, JSON.stringify(talk.steps)).toBe('ready');
    expect(talk.captions).toEqual([]);
    expect(talk.steps.find((s: { step: string }) => s.step === 'captions')).toMatchObject({ state: 'done' });
  });

  it('makes a 1-second clip playable and ready', async () => {
    const file = await makeClip(join(dir, 'blink.mp4'), { seconds: 1, width: 320, height: 240 });
    const talk = await settled(await upload(file, 'blink.mp4'));
    expect(talk.state, JSON.stringify(talk.steps)).toBe('ready');
    expect(talk.durationSeconds).toBeCloseTo(1, 0);
  });

  it('fails a truncated MP4 whose moov atom is missing, saying it cannot be read', async () => {
    const whole = await makeClip(join(dir, 'whole.mp4'), { seconds: 3, width: 320, height: 240 });
    const cut = join(dir, 'cut.mp4');
    // Without faststart the index sits at the end, so the first bytes alone are unreadable.
    await writeFile(cut, (await readFile(whole)).subarray(0, 20_000));
    const talk = await settled(await upload(cut, 'cut.mp4'));
    expect(talk).toMatchObject({ state: 'failed', failureReason: expect.stringMatching(/not a video we can read/) });
  });

  it('keeps a hostile file name out of the storage key and plays the file', async () => {
    const file = await makeClip(join(dir, 'named.mp4'), { seconds: 2, width: 320, height: 240 });
    const hostile = '../../etc/passwd Vortrag über Größe 🎤.mp4';
    const talkId = await upload(file, hostile);
    const talk = await settled(talkId);
    expect(talk.state, JSON.stringify(talk.steps)).toBe('ready');
    const row = await t.db.selectFrom('uploads').select(['id', 'file_name']).where('talk_id', '=', talkId).executeTakeFirstOrThrow();
    // The multipart parser keeps the name's text but drops its path.
    expect(row.file_name).toBe('passwd Vortrag über Größe 🎤.mp4');
    // Only ids name the objects: nothing was written outside the talk's own prefix.
    expect(await t.storage.sizeOf(`talks/${talkId}/sources/${row.id}`)).toBeGreaterThan(0);
    expect(await t.storage.sizeOf('etc/passwd')).toBeUndefined();
  });
});
