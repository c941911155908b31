import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

/** A multipart/form-data body with one file part, as a browser's form would send it. */
export function multipart(content: Buffer, fileName = 'talk.mp4', field = 'file', contentType = 'video/mp4') {
  const boundary = `----timeshift${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, content, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function uploadFile(app: FastifyInstance, cookie: string, talkId: string, path: string, fileName = 'talk.mp4') {
  const body = multipart(await readFile(path), fileName);
  return app.inject({ method: 'POST', url: `/api/v1/talks/${talkId}/source`, payload: body.payload, headers: { ...body.headers, cookie } });
}

/** Polls a talk until it leaves the upload/processing states; the worker is real, so this waits on real work. */
export async function waitForTalk(app: FastifyInstance, cookie: string, talkId: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.inject({ method: 'GET', url: `/api/v1/talks/${talkId}`, headers: { cookie } });
    const talk = res.json();
    if (!['uploading', 'processing'].includes(talk.state)) return talk;
    if (Date.now() > deadline) throw new Error(`talk ${talkId} still ${talk.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function errorOf(res: { statusCode: number; json(): unknown }) {
  return { status: res.statusCode, code: (res.json() as { error?: { code?: string } }).error?.code };
}
