import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/embedded/free-port.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { errorOf, uploadFile } from '../support/http.ts';
import { makeClip, tempDir } from '../support/media.ts';
import { createOrg, type Org } from '../support/people.ts';
import { createOpenMeeting } from '../support/media-world.ts';

describe('when a backing service is down', () => {
  let healthy: TestApp;
  let noStorage: TestApp;
  let noDatabase: TestApp;
  let org: Org;
  let talkId: string;
  let clip: string;

  beforeAll(async () => {
    // Nothing listens on these ports: the services are as good as down.
    const deadS3 = `http://127.0.0.1:${await freePort()}`;
    const deadDb = `postgres://postgres:x@127.0.0.1:${await freePort()}/timeshift`;
    healthy = await startTestApp();
    noStorage = await startTestApp({ s3: { endpoint: deadS3, publicEndpoint: deadS3 } });
    noDatabase = await startTestApp({ databaseUrl: deadDb });
    org = await createOrg(healthy.app, healthy.db);
    const meetingId = await createOpenMeeting(healthy.app, org.facilitator.cookie, 'Outage');
    talkId = (await healthy.app.inject({ method: 'POST', url: `/api/v1/meetings/${meetingId}/talks`, headers: { cookie: org.speaker.cookie }, payload: { title: 'Resilient' } })).json().id;
    clip = await makeClip(join(await tempDir(), 'clip.mp4'), { seconds: 2, width: 160, height: 90 });
  });
  afterAll(async () => {
    await Promise.all([healthy?.close(), noStorage?.close(), noDatabase?.close()]);
  });

  it('reports both services up when they are', async () => {
    const res = await healthy.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, db: true, storage: true });
  });

  it('answers health with 503 and storage false when S3 is down', async () => {
    const res = await noStorage.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ ok: false, db: true, storage: false });
  });

  it('answers an upload with 503 STORAGE_UNAVAILABLE and leaves the talk a draft, with no upload stored', async () => {
    const res = await uploadFile(noStorage.app, org.speaker.cookie, talkId, clip);
    expect(errorOf(res)).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE' });
    expect(res.json().error.message).toMatch(/Try again/);
    const talk = await healthy.db.selectFrom('talks').select(['state', 'playing_upload_id']).where('id', '=', talkId).executeTakeFirstOrThrow();
    expect(talk).toEqual({ state: 'draft', playing_upload_id: null });
    const uploads = await healthy.db.selectFrom('uploads').select('state').where('talk_id', '=', talkId).execute();
    expect(uploads.every((u) => u.state === 'aborted')).toBe(true);
  });

  it('answers health with 503 and db false when Postgres is down, and a signed-in request with 503 DATABASE_UNAVAILABLE', async () => {
    const health = await noDatabase.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toEqual({ ok: false, db: false, storage: true });
    const upload = await uploadFile(noDatabase.app, org.speaker.cookie, talkId, clip);
    expect(errorOf(upload)).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(upload.json().error.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });

  it('accepts the same upload once storage is back', async () => {
    expect((await uploadFile(healthy.app, org.speaker.cookie, talkId, clip)).statusCode).toBe(202);
  });
});
