import { describe, expect, it } from 'vitest';
import { declaredFile } from '../../server/src/adapters/tus.ts';
import { apiFailureFromTus } from '../../server/src/adapters/tus-errors.ts';

describe('tus failures in the API error body', () => {
  it('names an offset conflict so a client knows to ask with HEAD', () => {
    expect(apiFailureFromTus(409, 'Upload-Offset conflict\n')).toMatchObject({ status: 409, code: 'UPLOAD_OFFSET_MISMATCH', message: expect.stringMatching(/HEAD/) });
  });

  it('turns tus’s 403 for missing headers into a 400, which is what they are', () => {
    expect(apiFailureFromTus(403, 'Upload-Offset header required\n')).toMatchObject({ status: 400, code: 'UPLOAD_OFFSET_MISSING' });
    expect(apiFailureFromTus(403, 'Content-Type header required\n')).toMatchObject({ status: 400, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('keeps the detail of an invalid header', () => {
    expect(apiFailureFromTus(400, 'Invalid upload-length\n')).toMatchObject({ status: 400, code: 'INVALID_TUS_REQUEST', message: expect.stringContaining('Invalid upload-length') });
  });

  it('falls back on the status, and never leaks a 5xx body', () => {
    expect(apiFailureFromTus(404, 'The file for this url was not found\n')).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(apiFailureFromTus(410, '')).toMatchObject({ status: 410, code: 'UPLOAD_GONE' });
    const internal = apiFailureFromTus(500, 'Something went wrong with that request\nS3 said: secret detail');
    expect(internal).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(internal.message).not.toMatch(/secret/);
  });
});

describe('the file a tus client declares', () => {
  const encode = (fields: Record<string, string>) => Object.entries(fields).map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`).join(',');

  it('reads tus-js-client’s filename and filetype, unicode included', () => {
    expect(declaredFile(encode({ filename: 'Ünïcode talk.mp4', filetype: 'video/mp4' }))).toEqual({ fileName: 'Ünïcode talk.mp4', contentType: 'video/mp4' });
  });

  it('accepts no metadata, and refuses metadata that is not tus’s format', () => {
    expect(declaredFile(undefined)).toEqual({ fileName: null, contentType: null });
    expect(declaredFile('filename not base64 at all,,')).toBeUndefined();
  });
});
