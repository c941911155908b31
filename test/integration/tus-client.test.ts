import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Upload } from 'tus-js-client';
import { startTestApp, type TestApp } from '../support/app.ts';
import { makeClip, tempDir } from '../support/media.ts';
import { createOrg, type Org } from '../support/people.ts';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

// The studio uploads with tus-js-client; this drives the endpoint with that same client.
describe('tus-js-client against /api/v1/talks/:id/uploads/', () => {
  let t: TestApp;
  let org: Org;
  let base: string;
  let meetingId: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    org = await createOrg(t.app, t.db);
    const now = Date.now();
    const meeting = await t.app.inject({
      method: 'POST',
      url: '/api/v1/meetings',
      headers: { cookie: org.facilitator.cookie },
      payload: { title: 'Review', windowOpensAt: new Date(now - 60_000).toISOString(), windowClosesAt: new Date(now + 86_400_000).toISOString() },
    });
    meetingId = meeting.json().id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('uploads in chunks, follows the relative Location, resumes by URL, and the talk goes to processing', async () => {
    const talk = (await t.app.inject({ method: 'POST', url: `/api/v1/meetings/${meetingId}/talks`, headers: { cookie: org.speaker.cookie }, payload: { title: 'Chunks' } })).json();
    const dir = await tempDir();
    const file = await readFile(await makeClip(join(dir, 'talk.mp4'), { seconds: 4, width: 320, height: 240 }));
    const endpoint = `${base}/api/v1/talks/${talk.id}/uploads/`;
    const chunkSize = Math.ceil(file.length / 3);

    // First client: stops after its first chunk, as a closed laptop would.
    const first = await new Promise<{ url: string; sent: number }>((resolve, reject) => {
      const upload: Upload = new Upload(file, {
        endpoint,
        chunkSize,
        headers: { Cookie: org.speaker.cookie },
        metadata: { filename: 'talk.mp4', filetype: 'video/mp4' },
        retryDelays: [],
        onChunkComplete: (_chunk, sent) => {
          void upload.abort().then(() => resolve({ url: upload.url!, sent }));
        },
        onError: reject,
      });
      upload.start();
    });
    expect(first.url).toMatch(new RegExp(`^${base}/api/v1/talks/${talk.id}/uploads/[0-9a-f-]{36}$`));
    expect(first.sent).toBe(chunkSize);

    // Second client: given the upload URL, asks for the offset and sends only the rest.
    const offsets: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const upload = new Upload(file, {
        uploadUrl: first.url,
        chunkSize,
        headers: { Cookie: org.speaker.cookie },
        retryDelays: [],
        onChunkComplete: (chunk, sent) => offsets.push(sent - chunk),
        onSuccess: () => resolve(),
        onError: reject,
      });
      upload.start();
    });
    expect(offsets[0]).toBe(chunkSize);
    const state = (await t.app.inject({ method: 'GET', url: `/api/v1/talks/${talk.id}`, headers: { cookie: org.speaker.cookie } })).json().state;
    expect(state).toBe('processing');
  });

  it('is listed in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/talks/{id}/uploads/', '/api/v1/talks/{id}/uploads/{uploadId}']));
  });
});
