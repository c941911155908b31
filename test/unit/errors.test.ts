import { describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '@timeshift/shared/storage/s3';
import { AppError } from '../../server/src/errors.ts';
import { toAppError } from '../../server/src/plugins/error-handler.ts';
import { redactUrl } from '../../server/src/logger.ts';

describe('error mapping', () => {
  it('keeps an AppError as it is', () => {
    const e = new AppError('TALK_BUSY', 409, 'busy');
    expect(toAppError(e)).toBe(e);
  });

  it('turns storage and database outages into 503s with codes', () => {
    expect(toAppError(new StorageUnavailableError(new Error('x')))).toMatchObject({ status: 503, code: 'STORAGE_UNAVAILABLE' });
    expect(toAppError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
  });

  it('never leaks an internal message in a 500', () => {
    const mapped = toAppError(new Error('relation "secret_table" does not exist'));
    expect(mapped.status).toBe(500);
    expect(mapped.message).not.toContain('secret_table');
  });

  it('names the field that failed validation', () => {
    const e = Object.assign(new Error('bad'), { validation: [{ instancePath: '/title', message: 'must NOT have fewer than 1 characters', params: {} }], validationContext: 'body' });
    expect(toAppError(e)).toMatchObject({ status: 400, code: 'INVALID_INPUT', message: expect.stringContaining('"title"') });
  });
});

describe('log redaction', () => {
  it('removes playback tokens and S3 signatures from logged URLs', () => {
    expect(redactUrl('/api/v1/talks/x/hls/master.m3u8?token=abc.def&y=1')).toBe('/api/v1/talks/x/hls/master.m3u8?token=[redacted]&y=1');
    expect(redactUrl('/a?X-Amz-Signature=deadbeef')).toBe('/a?X-Amz-Signature=[redacted]');
  });
});
