import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { declaredFile, type TusGateway } from '../adapters/tus.ts';
import type { Services } from '../app.ts';
import { AppError, errors } from '../errors.ts';
import { actorOf } from '../plugins/session.ts';
import { IdParams, Uuid } from './schemas.ts';

const TUS_VERSION = '1.0.0';
const UploadParams = Type.Object({ id: Uuid, uploadId: Uuid });

/**
 * tus 1.0 resumable uploads at /talks/:id/uploads/. The API decides who may touch which upload
 * (session, role, organisation, talk state, size); tus then moves the bytes into S3 multipart.
 */
export const tusRoutes = (services: Services, gateway: TusGateway, options: { maxUploadBytes: number }): FastifyPluginAsyncTypebox => async (app) => {
  // The body is tus's to read, as a stream straight into S3; Fastify must leave it untouched.
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));

  const speaksTus = (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('Tus-Resumable', TUS_VERSION);
    if (request.headers['tus-resumable'] !== TUS_VERSION) {
      reply.header('Tus-Version', TUS_VERSION);
      throw new AppError('TUS_VERSION_UNSUPPORTED', 412, `Only tus ${TUS_VERSION} is supported: send the header Tus-Resumable: ${TUS_VERSION}.`);
    }
  };
  const locationOf = (request: FastifyRequest, talkId: string, uploadId: string) =>
    `${request.routeOptions.url!.replace(/\/?$/, '/').replace(':id', talkId)}${uploadId}`;

  for (const url of ['/talks/:id/uploads/', '/talks/:id/uploads']) {
    app.post(url, { schema: { params: IdParams, hide: url.endsWith('s') } }, async (request, reply) => {
      speaksTus(request, reply);
      const length = headerInteger(request.headers['upload-length']);
      const file = declaredFile(request.headers['upload-metadata'] as string | undefined);
      if (!file) throw errors.badRequest('INVALID_UPLOAD_METADATA', 'Upload-Metadata must be comma-separated "key base64value" pairs.');
      const talkId = request.params.id;
      const { uploadId, undo } = await services.resumableUploads.begin(actorOf(request), talkId, { length, ...file });
      reply.hijack();
      let settled = false;
      // No upload was created in S3: leave the talk as it was.
      const undoUnlessCreated = async (status: number) => {
        settled = true;
        if (status !== 201) await undo().catch((e) => request.log.error({ err: e }, 'undo of a failed tus creation'));
      };
      try {
        await gateway.handle(request.raw, reply.raw, {
          talkId,
          uploadId,
          location: locationOf(request, talkId, uploadId),
          onFinish: (size) => services.resumableUploads.finish(talkId, uploadId, size),
          onActivity: () => void services.resumableUploads.touch(uploadId).catch(() => undefined),
          settle: undoUnlessCreated,
        });
      } finally {
        if (!settled) await undoUnlessCreated(500);
      }
    });
  }

  app.options('/talks/:id/uploads/', { schema: { params: IdParams } }, async (_request, reply) => {
    reply.header('Tus-Resumable', TUS_VERSION).header('Tus-Version', TUS_VERSION).header('Tus-Extension', 'creation,creation-with-upload,termination').header('Tus-Max-Size', String(options.maxUploadBytes));
    return reply.status(204).send();
  });

  app.route({
    method: ['HEAD', 'PATCH', 'DELETE'],
    url: '/talks/:id/uploads/:uploadId',
    schema: { params: UploadParams },
    handler: async (request, reply) => {
      speaksTus(request, reply);
      const { id: talkId, uploadId } = request.params;
      const intent = request.method === 'HEAD' ? 'inspect' : request.method === 'PATCH' ? 'write' : 'terminate';
      const upload = await services.resumableUploads.open(actorOf(request), talkId, uploadId, intent);
      reply.hijack();
      await gateway.handle(request.raw, reply.raw, {
        talkId,
        uploadId,
        location: request.url.split('?')[0]!,
        onFinish: (size) => services.resumableUploads.finish(talkId, uploadId, size),
        onActivity: () => void services.resumableUploads.touch(uploadId).catch(() => undefined),
        settle: async (status) => {
          if (intent === 'write' && status < 300) await services.resumableUploads.touch(uploadId).catch(() => undefined);
          if (intent === 'terminate' && status === 204) await services.resumableUploads.terminated(upload);
        },
      });
    },
  });
};

function headerInteger(value: string | string[] | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value)) throw errors.badRequest('INVALID_UPLOAD_LENGTH', 'Upload-Length must be the file size in bytes, a whole number.');
  return Number(value);
}
