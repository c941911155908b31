import type { FastifyError, FastifyInstance } from 'fastify';
import { StorageUnavailableError } from '@timeshift/shared/storage/s3';
import { AppError, errors } from '../errors.ts';

const PG_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);

function isDatabaseDown(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  if (err?.code && PG_CONNECTION_CODES.has(err.code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(err?.message ?? '');
}

/** Maps anything thrown into the one error body of API.md; a 5xx never leaks internals. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof StorageUnavailableError) return errors.storageDown();
  if (isDatabaseDown(e)) return errors.databaseDown();
  const err = e as FastifyError;
  if (err?.validation) {
    const first = err.validation[0];
    const where = err.validationContext ?? 'request';
    const field = first?.instancePath ? first.instancePath.slice(1).replace(/\//g, '.') : (first?.params as { missingProperty?: string })?.missingProperty;
    const detail = field ? `${where} field "${field}" ${first?.message ?? 'is invalid'}` : `${where} ${first?.message ?? 'is invalid'}`;
    return new AppError('INVALID_INPUT', 400, `Check your input: ${detail}.`);
  }
  switch (err?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('INVALID_JSON', 400, 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return errors.tooLarge('The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return errors.unsupportedMedia('Send this request as multipart/form-data or JSON, as the API describes.');
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return errors.badRequest('TOO_MANY_PARTS', 'Send one file in the "file" field.');
  }
  if (err?.statusCode === 429) return new AppError('RATE_LIMITED', 429, 'Too many attempts. Wait a minute and try again.');
  if (err?.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError('BAD_REQUEST', err.statusCode, err.message);
  }
  return new AppError('INTERNAL', 500, 'Something went wrong on our side. Try again; if it keeps happening, tell your admin.');
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) request.log.error({ err: error }, appError.code);
    else request.log.info({ code: appError.code }, appError.message);
    return reply.status(appError.status).send({ error: { code: appError.code, message: appError.message } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No API route ${request.method} ${request.url.split('?')[0]}.` } }),
  );
}
