import { pipeline, Transform, type Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../app.ts';
import { actorOf } from '../plugins/session.ts';
import { IdParams, TalkStateSchema, withErrors } from './schemas.ts';

export const uploadRoutes = (services: Services, options: { maxUploadBytes: number }): FastifyPluginAsyncTypebox => async (app) => {
  app.post(
    '/talks/:id/source',
    {
      // The body is a stream handed to S3 as it arrives; no JSON schema applies to it.
      schema: {
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: withErrors({ 202: Type.Object({ state: TalkStateSchema, uploadId: Type.String() }) }, 400, 401, 403, 404, 409, 413, 415, 503),
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw services.errors.unsupportedMedia('Send the recording as multipart/form-data with the file in the "file" field.');
      const declared = Number(request.headers['content-length']);
      const result = await services.uploads.receive(actorOf(request), request.params.id, Number.isFinite(declared) ? declared : undefined, async () => {
        const part = await request.file({ limits: { fileSize: options.maxUploadBytes, files: 1 } });
        if (!part || part.fieldname !== 'file') {
          part?.file.resume();
          return undefined;
        }
        const counted = countBytes(part.file);
        return { stream: counted.stream, fileName: part.filename || null, contentType: part.mimetype || null, bytesRead: counted.bytes, truncated: () => part.file.truncated };
      });
      return reply.status(202).send(result);
    },
  );
};

/** Counts bytes as they pass, without switching the source into flowing mode before S3 reads it. */
function countBytes(source: Readable): { stream: Readable; bytes: () => number } {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  // pipeline carries a source error (such as the size limit) into the counter, where S3's reader sees it.
  pipeline(source, counter, () => undefined);
  return { stream: counter, bytes: () => bytes };
}
