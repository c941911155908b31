import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, startTestWorker, type TestApp } from '../support/app.ts';
import { errorOf, multipart, uploadFile, waitForTalk } from '../support/http.ts';
import { makeClip, tempDir } from '../support/media.ts';
import { createOrg, type Org } from '../support/people.ts';

describe('talks and uploads', () => {
  let t: TestApp;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let org: Org;
  let other: Org;
  let meetingId: string;
  let dir: string;
  let clip: string;

  const json = (method: 'POST' | 'GET', url: string, cookie: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });

  async function newTalk(cookie = org.speaker.cookie, body: object = { title: 'A talk' }) {
    const res = await json('POST', `/meetings/${meetingId}/talks`, cookie, body);
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; state: string };
  }

  beforeAll(async () => {
    t = await startTestApp({ maxUploadBytes: 3 * 1024 * 1024 });
    worker = await startTestWorker();
    [org, other] = await Promise.all([createOrg(t.app, t.db), createOrg(t.app, t.db)]);
    const now = Date.now();
    const res = await json('POST', '/meetings', org.facilitator.cookie, {
      title: 'Town hall',
      windowOpensAt: new Date(now - 60_000).toISOString(),
      windowClosesAt: new Date(now + 86_400_000).toISOString(),
    });
    meetingId = res.json().id;
    dir = await tempDir();
    clip = await makeClip(join(dir, 'clip.mp4'), { seconds: 4, width: 320, height: 240 });
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
  });

  describe('creating talks', () => {
    it('lets a speaker create their own talk, which starts as a draft', async () => {
      const talk = await newTalk();
      const res = await json('GET', `/talks/${talk.id}`, org.speaker.cookie);
      expect(res.json()).toMatchObject({ id: talk.id, meetingId, state: 'draft', speakerId: org.speaker.id, renditions: [], captions: [] });
    });

    it('forbids a speaker to create a talk for another speaker', async () => {
      const res = await json('POST', `/meetings/${meetingId}/talks`, org.speaker.cookie, { title: 'Not mine', speakerId: org.otherSpeaker.id });
      expect(errorOf(res)).toEqual({ status: 403, code: 'FORBIDDEN' });
    });

    it('lets a facilitator create a talk for a speaker of the same org, not of another org', async () => {
      const ok = await json('POST', `/meetings/${meetingId}/talks`, org.facilitator.cookie, { title: 'Yours', speakerId: org.speaker.id });
      expect(ok.statusCode).toBe(201);
      const foreign = await json('POST', `/meetings/${meetingId}/talks`, org.facilitator.cookie, { title: 'Theirs', speakerId: other.speaker.id });
      expect(errorOf(foreign)).toEqual({ status: 400, code: 'UNKNOWN_SPEAKER' });
    });

    it('forbids an employee to create a meeting or a talk', async () => {
      const meeting = await json('POST', '/meetings', org.member.cookie, { title: 'x', windowOpensAt: new Date().toISOString(), windowClosesAt: new Date(Date.now() + 1000).toISOString() });
      expect(errorOf(meeting)).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(errorOf(await json('POST', `/meetings/${meetingId}/talks`, org.member.cookie, { title: 'x' }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    });

    it.each([
      ['no title', {}],
      ['a blank title', { title: '   ' }],
      ['an unknown field', { title: 'x', state: 'ready' }],
      ['a speaker id that is not a uuid', { title: 'x', speakerId: '1; drop table talks' }],
    ])('answers 400 to a talk with %s', async (_n, body) => {
      expect(errorOf(await json('POST', `/meetings/${meetingId}/talks`, org.facilitator.cookie, body))).toEqual({ status: 400, code: 'INVALID_INPUT' });
    });

    it('hides another organisation’s meeting and talk as not found', async () => {
      const talk = await newTalk();
      expect(errorOf(await json('GET', `/meetings/${meetingId}`, other.admin.cookie))).toEqual({ status: 404, code: 'NOT_FOUND' });
      expect(errorOf(await json('GET', `/talks/${talk.id}`, other.admin.cookie))).toEqual({ status: 404, code: 'NOT_FOUND' });
      expect(errorOf(await json('POST', `/meetings/${meetingId}/talks`, other.facilitator.cookie, { title: 'x' }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    });

    it('answers 401 without a session', async () => {
      expect(errorOf(await t.app.inject({ method: 'POST', url: `/api/v1/meetings/${meetingId}/talks`, payload: { title: 'x' } }))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    });
  });

  describe('uploading a recording', () => {
    it('turns an H.264/AAC upload into a playable talk', async () => {
      const talk = await newTalk();
      const res = await uploadFile(t.app, org.speaker.cookie, talk.id, clip);
      expect(res.statusCode).toBe(202);
      const done = await waitForTalk(t.app, org.speaker.cookie, talk.id);
      expect(done).toMatchObject({ state: 'playable', renditions: [{ height: 240, width: 320 }] });
      expect(done.failureReason).toBeUndefined();
    });

    it('fails a text file renamed .mp4 with a reason, and lets the speaker try again', async () => {
      const talk = await newTalk();
      const fake = join(dir, 'notes.mp4');
      await writeFile(fake, 'These are my speaker notes, not a video.\n'.repeat(50));
      expect((await uploadFile(t.app, org.speaker.cookie, talk.id, fake, 'notes.mp4')).statusCode).toBe(202);
      const failed = await waitForTalk(t.app, org.speaker.cookie, talk.id);
      expect(failed.state).toBe('failed');
      expect(failed.failureReason).toMatch(/not a video we can read/);
      // The same talk accepts a real recording afterwards.
      expect((await uploadFile(t.app, org.speaker.cookie, talk.id, clip)).statusCode).toBe(202);
      expect((await waitForTalk(t.app, org.speaker.cookie, talk.id)).state).toBe('playable');
    });

    it('fails a zero-byte file with a reason that says it is empty', async () => {
      const talk = await newTalk();
      const empty = join(dir, 'empty.mp4');
      await writeFile(empty, '');
      expect((await uploadFile(t.app, org.speaker.cookie, talk.id, empty)).statusCode).toBe(202);
      const failed = await waitForTalk(t.app, org.speaker.cookie, talk.id);
      expect(failed).toMatchObject({ state: 'failed', failureReason: expect.stringMatching(/empty \(0 bytes\)/) });
    });

    it('refuses a file over MAX_UPLOAD_BYTES with 413, keeping the talk a draft and nothing in S3', async () => {
      const talk = await newTalk();
      const big = multipart(Buffer.alloc(4 * 1024 * 1024, 7));
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/talks/${talk.id}/source`, payload: big.payload, headers: { ...big.headers, cookie: org.speaker.cookie } });
      expect(errorOf(res)).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
      expect(res.json().error.message).toMatch(/3 MiB limit/);
      expect((await json('GET', `/talks/${talk.id}`, org.speaker.cookie)).json().state).toBe('draft');
      expect(await t.storage.deletePrefix(`talks/${talk.id}/`)).toBe(0);
    });

    it('refuses an oversized upload whose length is not declared, once the limit is crossed', async () => {
      const talk = await newTalk();
      const big = multipart(Buffer.alloc(4 * 1024 * 1024, 7));
      const { Readable } = await import('node:stream');
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/talks/${talk.id}/source`,
        payload: Readable.from([big.payload.subarray(0, 1000), big.payload.subarray(1000)]),
        headers: { ...big.headers, cookie: org.speaker.cookie, 'transfer-encoding': 'chunked' },
      });
      expect(errorOf(res)).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
      expect((await json('GET', `/talks/${talk.id}`, org.speaker.cookie)).json().state).toBe('draft');
      expect(await t.storage.deletePrefix(`talks/${talk.id}/`)).toBe(0);
    });

    it('answers 400 FILE_MISSING when the multipart body has no "file" field', async () => {
      const talk = await newTalk();
      const body = multipart(Buffer.from('x'), 'a.mp4', 'attachment');
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/talks/${talk.id}/source`, payload: body.payload, headers: { ...body.headers, cookie: org.speaker.cookie } });
      expect(errorOf(res)).toEqual({ status: 400, code: 'FILE_MISSING' });
      expect((await json('GET', `/talks/${talk.id}`, org.speaker.cookie)).json().state).toBe('draft');
    });

    it('answers 415 to an upload that is not multipart', async () => {
      const talk = await newTalk();
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/talks/${talk.id}/source`, payload: { file: 'x' }, headers: { cookie: org.speaker.cookie } });
      expect(errorOf(res)).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    });

    it('forbids another speaker and an employee to upload to a talk, and hides it from other orgs', async () => {
      const talk = await newTalk();
      expect(errorOf(await uploadFile(t.app, org.otherSpeaker.cookie, talk.id, clip))).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(errorOf(await uploadFile(t.app, org.member.cookie, talk.id, clip))).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(errorOf(await uploadFile(t.app, other.admin.cookie, talk.id, clip))).toEqual({ status: 404, code: 'NOT_FOUND' });
      expect(errorOf(await uploadFile(t.app, 'ts_session=none', talk.id, clip))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    });

    it('fails a talk whose stored upload has vanished from S3 at once, instead of retrying for minutes', async () => {
      const talk = await newTalk();
      const upload = await t.db.insertInto('uploads').values({ org_id: org.id, talk_id: talk.id, uploaded_by: org.speaker.id, file_name: 'gone.mp4', content_type: 'video/mp4', state: 'stored', completed_at: new Date() }).returning('id').executeTakeFirstOrThrow();
      await t.db.updateTable('talks').set({ state: 'processing' }).where('id', '=', talk.id).execute();
      await t.queue.enqueue('ingest_upload', { talkId: talk.id, uploadId: upload.id }, { jobKey: `ingest_upload:${upload.id}` });
      const failed = await waitForTalk(t.app, org.speaker.cookie, talk.id, 20_000);
      expect(failed).toMatchObject({ state: 'failed', failureReason: expect.stringMatching(/no longer in storage/) });
    });

    it('answers 409 TALK_BUSY to a second upload while the first is processing', async () => {
      const talk = await newTalk();
      await t.db.updateTable('talks').set({ state: 'processing' }).where('id', '=', talk.id).execute();
      expect(errorOf(await uploadFile(t.app, org.speaker.cookie, talk.id, clip))).toEqual({ status: 409, code: 'TALK_BUSY' });
    });
  });
});
