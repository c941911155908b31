import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@timeshift/shared/clock';
import { loadConfig } from '@timeshift/shared/config';
import { abandonedUploadsRepository } from '../../workers/src/repositories/abandoned-uploads.ts';
import { cleanupAbandonedUploads } from '../../workers/src/tasks/cleanup-uploads.ts';
import { startTestApp, startTestWorker, type TestApp } from '../support/app.ts';
import { waitForTalk } from '../support/http.ts';
import { tempDir } from '../support/media.ts';
import { createOrg, type Org } from '../support/people.ts';
import { rawRequest, tusHeaders, tusMetadata, type RawResponse } from '../support/tus.ts';

const exec = promisify(execFile);
const MiB = 1024 * 1024;

describe('resumable uploads (tus 1.0) at /api/v1/talks/:id/uploads/', () => {
  let t: TestApp;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let org: Org;
  let other: Org;
  let meetingId: string;
  let port: number;
  let recording: Buffer;
  const config = loadConfig();
  const s3 = new S3Client({
    endpoint: config.s3.endpoint,
    region: config.s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: config.s3.accessKeyId, secretAccessKey: config.s3.secretAccessKey },
  });
  const Bucket = config.s3.bucket;

  const api = (method: 'POST' | 'GET', url: string, cookie: string, payload?: object) => t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });

  async function newTalk(cookie = org.speaker.cookie) {
    const res = await api('POST', `/meetings/${meetingId}/talks`, cookie, { title: 'Roadmap' });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; state: string };
  }
  const talkState = async (id: string) => (await api('GET', `/talks/${id}`, org.speaker.cookie)).json().state as string;

  function send(method: string, path: string, headers: Record<string, string>, body?: Buffer) {
    return rawRequest({ port, method, path, headers, body }) as Promise<RawResponse>;
  }
  async function create(talkId: string, cookie: string, length: number, extra: Record<string, string> = {}) {
    return send('POST', `/api/v1/talks/${talkId}/uploads/`, tusHeaders(cookie, { 'Upload-Length': String(length), 'Upload-Metadata': tusMetadata({ filename: 'roadmap.mp4', filetype: 'video/mp4' }), ...extra }));
  }
  const patchHeaders = (cookie: string, offset: number) => tusHeaders(cookie, { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' });
  const errorCode = (res: RawResponse) => (JSON.parse(res.body) as { error: { code: string } }).error.code;

  async function multipartUploadsUnder(prefix: string): Promise<number> {
    const res = await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix: prefix }));
    return res.Uploads?.length ?? 0;
  }
  async function objectsUnder(prefix: string): Promise<string[]> {
    const res = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix }));
    return (res.Contents ?? []).map((o) => o.Key!);
  }

  beforeAll(async () => {
    t = await startTestApp({ maxUploadBytes: 32 * MiB });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
    worker = await startTestWorker();
    [org, other] = await Promise.all([createOrg(t.app, t.db), createOrg(t.app, t.db)]);
    const now = Date.now();
    const meeting = await api('POST', '/meetings', org.facilitator.cookie, { title: 'All hands', windowOpensAt: new Date(now - 60_000).toISOString(), windowClosesAt: new Date(now + 86_400_000).toISOString() });
    meetingId = meeting.json().id;
    // About 15 MiB of H.264/AAC: large enough for a full 8 MiB S3 part before the drop.
    const dir = await tempDir();
    const path = join(dir, 'recording.mp4');
    await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '6', '-vf', 'noise=alls=60:allf=t', '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '18M', '-maxrate', '18M', '-bufsize', '36M', '-pix_fmt', 'yuv420p', '-g', '50', '-c:a', 'aac', '-b:a', '96k', '-movflags', '+faststart', path]);
    recording = await readFile(path);
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    s3.destroy();
  });

  // First in this file, so that the media jobs of the later tests are not queued ahead of it.
  it('the worker runs the cleanup as the cleanup_uploads job', async () => {
    const talk = await newTalk();
    const created = await create(talk.id, org.speaker.cookie, 12 * MiB);
    const location = created.headers.location!;
    const uploadId = location.split('/').pop()!;
    await send('PATCH', location, patchHeaders(org.speaker.cookie, 0), recording.subarray(0, 6 * MiB));
    expect(await multipartUploadsUnder(`talks/${talk.id}/`)).toBe(1);
    // As if the last byte had come 25 hours ago; the worker's clock is the real one.
    await t.db.updateTable('uploads').set({ last_activity_at: new Date(Date.now() - 25 * 3600_000) }).where('id', '=', uploadId).execute();

    await t.queue.enqueue('cleanup_uploads', {}, { jobKey: 'cleanup_uploads' });
    const deadline = Date.now() + 60_000;
    let state = 'receiving';
    while (state === 'receiving' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      state = (await t.db.selectFrom('uploads').select('state').where('id', '=', uploadId).executeTakeFirstOrThrow()).state;
    }
    expect(state).toBe('aborted');
    expect(await talkState(talk.id)).toBe('draft');
    expect(await multipartUploadsUnder(`talks/${talk.id}/`)).toBe(0);
    expect(await objectsUnder(`talks/${talk.id}/`)).toEqual([]);
  });

  it('resumes a connection dropped at 60 % from the stored offset, without sending stored bytes again, and the talk becomes playable', async () => {
    const talk = await newTalk();
    const size = recording.length;
    expect(size).toBeGreaterThan(12 * MiB);

    const created = await create(talk.id, org.speaker.cookie, size);
    expect(created.status).toBe(201);
    expect(created.headers['tus-resumable']).toBe('1.0.0');
    expect(created.headers['access-control-allow-origin']).toBeUndefined();
    const location = created.headers.location!;
    expect(location).toMatch(new RegExp(`^/api/v1/talks/${talk.id}/uploads/[0-9a-f-]{36}$`));
    expect(await talkState(talk.id)).toBe('uploading');

    const cut = Math.floor(size * 0.6);
    const dropped = await rawRequest({ port, method: 'PATCH', path: location, headers: patchHeaders(org.speaker.cookie, 0), body: recording, dropAfter: cut });
    expect('dropped' in dropped).toBe(true);

    const head = await send('HEAD', location, tusHeaders(org.speaker.cookie));
    expect(head.status).toBe(200);
    expect(head.headers['upload-length']).toBe(String(size));
    const offset = Number(head.headers['upload-offset']);
    // Kept: the full 8 MiB S3 part and the short rest after it. Lost: only what sat in the server's
    // stream buffers when the line died, which was never stored.
    expect(offset).toBeGreaterThan(8 * MiB);
    expect(offset).toBeLessThanOrEqual(cut);
    const resent = cut - offset;
    expect(resent).toBeLessThan(256 * 1024);

    const rest = await send('PATCH', location, patchHeaders(org.speaker.cookie, offset), recording.subarray(offset));
    expect(rest.status).toBe(204);
    expect(rest.headers['upload-offset']).toBe(String(size));

    const wire = dropped.wireBytes + rest.wireBytes;
    const overhead = wire - size;
    console.log(
      `tus resume: file ${size} B, dropped at ${cut} B (${((cut / size) * 100).toFixed(0)} %), resumed from ${offset} B, ` +
        `sent again ${resent} B, on the wire ${wire} B in all (+${((overhead / size) * 100).toFixed(2)} %)`,
    );
    // Headers aside, the only bytes sent twice are the unstored ones.
    expect(overhead - resent).toBeGreaterThan(0);
    expect(overhead - resent).toBeLessThan(2048);
    expect(overhead / size).toBeLessThan(0.02);

    const uploadId = location.split('/').pop()!;
    const stored = await s3.send(new GetObjectCommand({ Bucket, Key: `talks/${talk.id}/sources/${uploadId}` }));
    const bytes = Buffer.from(await stored.Body!.transformToByteArray());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(createHash('sha256').update(recording).digest('hex'));
    expect(await multipartUploadsUnder(`talks/${talk.id}/`)).toBe(0);

    const done = await waitForTalk(t.app, org.speaker.cookie, talk.id, 90_000);
    expect(done.state).toBe('playable');
    const row = await t.db.selectFrom('uploads').select(['state', 'size_bytes', 'file_name']).where('id', '=', uploadId).executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'stored', size_bytes: String(size), file_name: 'roadmap.mp4' });

    const again = await send('PATCH', location, patchHeaders(org.speaker.cookie, size), Buffer.alloc(0));
    expect(again.status).toBe(409);
    expect(errorCode(again)).toBe('UPLOAD_FINISHED');
    const cancel = await send('DELETE', location, tusHeaders(org.speaker.cookie));
    expect([cancel.status, errorCode(cancel)]).toEqual([409, 'UPLOAD_FINISHED']);
    expect((await send('HEAD', location, tusHeaders(org.speaker.cookie))).headers['upload-offset']).toBe(String(size));
  });

  describe('refuses bad requests with the API error body', () => {
    it('without a session: 401', async () => {
      const talk = await newTalk();
      const res = await create(talk.id, 'ts_session=nope', 1000);
      expect(res.status).toBe(401);
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
      expect(await talkState(talk.id)).toBe('draft');
    });

    it('for a member, another speaker or another organisation: 403 or 404', async () => {
      const talk = await newTalk();
      const member = await create(talk.id, org.member.cookie, 1000);
      expect([member.status, errorCode(member)]).toEqual([403, 'FORBIDDEN']);
      const otherSpeaker = await create(talk.id, org.otherSpeaker.cookie, 1000);
      expect([otherSpeaker.status, errorCode(otherSpeaker)]).toEqual([403, 'FORBIDDEN']);
      const foreign = await create(talk.id, other.admin.cookie, 1000);
      expect([foreign.status, errorCode(foreign)]).toEqual([404, 'NOT_FOUND']);

      // An upload begun by the speaker cannot be read, fed or cancelled by someone outside.
      const created = await create(talk.id, org.speaker.cookie, 1000);
      expect(created.status).toBe(201);
      const location = created.headers.location!;
      expect((await send('HEAD', location, tusHeaders(other.admin.cookie))).status).toBe(404);
      expect((await send('PATCH', location, patchHeaders(org.member.cookie, 0), Buffer.alloc(10))).status).toBe(403);
      expect((await send('DELETE', location, tusHeaders(org.otherSpeaker.cookie))).status).toBe(403);
      // A facilitator may act on the speaker's upload, like on POST /source.
      expect((await send('HEAD', location, tusHeaders(org.facilitator.cookie))).status).toBe(200);
      expect((await send('DELETE', location, tusHeaders(org.speaker.cookie))).status).toBe(204);
    });

    it('larger than MAX_UPLOAD_BYTES: 413 before anything is stored', async () => {
      const talk = await newTalk();
      const res = await create(talk.id, org.speaker.cookie, 32 * MiB + 1);
      expect(res.status).toBe(413);
      expect(errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
      expect(JSON.parse(res.body).error.message).toMatch(/32 MiB/);
      expect(await talkState(talk.id)).toBe('draft');
      expect(await multipartUploadsUnder(`talks/${talk.id}/`)).toBe(0);
    });

    it('with another tus version: 412 with Tus-Version', async () => {
      const talk = await newTalk();
      const res = await create(talk.id, org.speaker.cookie, 1000, { 'Tus-Resumable': '0.2.2' });
      expect(res.status).toBe(412);
      expect(res.headers['tus-version']).toBe('1.0.0');
      expect(errorCode(res)).toBe('TUS_VERSION_UNSUPPORTED');
      expect(await talkState(talk.id)).toBe('draft');
    });

    it('without Upload-Length: 400', async () => {
      const talk = await newTalk();
      const res = await send('POST', `/api/v1/talks/${talk.id}/uploads/`, tusHeaders(org.speaker.cookie, { 'Upload-Defer-Length': '1' }));
      expect([res.status, errorCode(res)]).toEqual([400, 'UPLOAD_LENGTH_REQUIRED']);
      expect(await talkState(talk.id)).toBe('draft');
    });

    it('PATCH at the wrong Upload-Offset: 409, and nothing is written', async () => {
      const talk = await newTalk();
      const created = await create(talk.id, org.speaker.cookie, 1000);
      const location = created.headers.location!;
      const wrong = await send('PATCH', location, patchHeaders(org.speaker.cookie, 500), Buffer.alloc(500, 1));
      expect(wrong.status).toBe(409);
      expect(errorCode(wrong)).toBe('UPLOAD_OFFSET_MISMATCH');
      expect(wrong.headers['content-type']).toMatch(/application\/json/);
      const head = await send('HEAD', location, tusHeaders(org.speaker.cookie));
      expect(head.headers['upload-offset']).toBe('0');
    });

    it('to a talk that is processing: 409', async () => {
      const talk = await newTalk();
      await t.db.updateTable('talks').set({ state: 'processing' }).where('id', '=', talk.id).execute();
      const res = await create(talk.id, org.speaker.cookie, 1000);
      expect([res.status, errorCode(res)]).toEqual([409, 'TALK_BUSY']);
      expect(await t.db.selectFrom('uploads').select('id').where('talk_id', '=', talk.id).execute()).toEqual([]);
    });

    it('zero bytes: 400, and the talk stays as it was', async () => {
      const talk = await newTalk();
      const res = await create(talk.id, org.speaker.cookie, 0);
      expect([res.status, errorCode(res)]).toEqual([400, 'EMPTY_FILE']);
      expect(await talkState(talk.id)).toBe('draft');
      expect(await multipartUploadsUnder(`talks/${talk.id}/`)).toBe(0);
    });

    it('a second upload while one is open: 409', async () => {
      const talk = await newTalk();
      expect((await create(talk.id, org.speaker.cookie, 1000)).status).toBe(201);
      const second = await create(talk.id, org.speaker.cookie, 1000);
      expect([second.status, errorCode(second)]).toEqual([409, 'TALK_BUSY']);
    });
  });

  it('termination (DELETE) aborts the S3 multipart upload and gives the talk back', async () => {
    const talk = await newTalk();
    const created = await create(talk.id, org.speaker.cookie, 10 * MiB);
    const location = created.headers.location!;
    const part = await send('PATCH', location, patchHeaders(org.speaker.cookie, 0), recording.subarray(0, 9 * MiB));
    expect(part.headers['upload-offset']).toBe(String(9 * MiB));
    expect(await multipartUploadsUnder(`talks/${talk.id}/`)).toBe(1);

    const deleted = await send('DELETE', location, tusHeaders(org.speaker.cookie));
    expect(deleted.status).toBe(204);
    expect(await talkState(talk.id)).toBe('draft');
    expect(await multipartUploadsUnder(`talks/${talk.id}/`)).toBe(0);
    expect(await objectsUnder(`talks/${talk.id}/`)).toEqual([]);
    // HEAD answers carry no body; the status says it all.
    expect((await send('HEAD', location, tusHeaders(org.speaker.cookie))).status).toBe(410);
    // The talk takes a new upload at once.
    expect((await create(talk.id, org.speaker.cookie, 1000)).status).toBe(201);
  });

  it('the cleanup job aborts uploads idle for UPLOAD_ABANDON_HOURS and restores the talk, leaving no multipart upload', async () => {
    const talk = await newTalk();
    await t.db.updateTable('talks').set({ state: 'playable' }).where('id', '=', talk.id).execute();
    const created = await create(talk.id, org.speaker.cookie, 12 * MiB);
    const location = created.headers.location!;
    const fed = await send('PATCH', location, patchHeaders(org.speaker.cookie, 0), recording.subarray(0, 9 * MiB));
    expect(fed.headers['upload-offset']).toBe(String(9 * MiB));
    expect(await multipartUploadsUnder(`talks/${talk.id}/`)).toBe(1);
    expect((await objectsUnder(`talks/${talk.id}/`)).length).toBeGreaterThan(0);

    // Only this upload is made old, so uploads of tests running alongside are never touched.
    const clock = new ManualClock(new Date());
    const uploadId = location.split('/').pop()!;
    await t.db.updateTable('uploads').set({ last_activity_at: new Date(clock.now().getTime() - 23 * 3600_000) }).where('id', '=', uploadId).execute();
    const deps = { uploads: abandonedUploadsRepository(t.db), storage: t.storage, clock, abandonAfterHours: 24, log: () => undefined };
    await cleanupAbandonedUploads(deps);
    expect(await talkState(talk.id)).toBe('uploading');
    expect(await multipartUploadsUnder(`talks/${talk.id}/`)).toBe(1);

    clock.advance(2 * 3600_000);
    const { aborted } = await cleanupAbandonedUploads(deps);
    expect(aborted).toBe(1);
    expect(await talkState(talk.id)).toBe('playable');
    expect(await multipartUploadsUnder(`talks/${talk.id}/`)).toBe(0);
    expect(await objectsUnder(`talks/${talk.id}/`)).toEqual([]);
    const gone = await send('PATCH', location, patchHeaders(org.speaker.cookie, 9 * MiB), recording.subarray(9 * MiB, 10 * MiB));
    expect([gone.status, errorCode(gone)]).toEqual([410, 'UPLOAD_GONE']);
  });
});
