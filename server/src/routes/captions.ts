import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../app.ts';
import { actorOf } from '../plugins/session.ts';
import { LANG_PATTERN, MAX_CAPTION_FILE_BYTES, type CaptionInput } from '../services/caption-service.ts';
import { MAX_CUE_TEXT_CHARS, MAX_CUES } from '../services/caption-formats.ts';
import { IdParams, Uuid, withErrors } from './schemas.ts';

const CueDto = Type.Object({ startSec: Type.Number(), endSec: Type.Number(), text: Type.String() });
const EditedCues = Type.Object(
  {
    cues: Type.Array(
      Type.Object({ startSec: Type.Number({ minimum: 0 }), endSec: Type.Number({ minimum: 0 }), text: Type.String({ minLength: 1, maxLength: MAX_CUE_TEXT_CHARS * 2 }) }, { additionalProperties: false }),
      { maxItems: MAX_CUES },
    ),
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  },
  { additionalProperties: false },
);
const LangParams = Type.Object({ id: Uuid, lang: Type.String({ pattern: LANG_PATTERN, maxLength: 35 }) });
/** Caption files may arrive as the raw body, under any of the types editors and browsers give them. */
const CAPTION_FILE_TYPES = ['text/vtt', 'application/x-subrip', 'application/x-srt', 'text/srt', 'text/plain', 'application/octet-stream'];
const VTT_FILE = /^([a-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,2})\.vtt$/;

export const captionRoutes = (services: Services): FastifyPluginAsyncTypebox => async (app) => {
  // Raw caption files are read as bytes so that the service can tell their encoding.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(CAPTION_FILE_TYPES, { parseAs: 'buffer', bodyLimit: MAX_CAPTION_FILE_BYTES }, (_req, body, done) => done(null, body));

  app.get(
    '/talks/:id/transcript',
    {
      schema: {
        params: IdParams,
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), lang: Type.Optional(Type.String({ pattern: LANG_PATTERN, maxLength: 35 })) }),
        response: withErrors({ 200: Type.Object({ lang: Type.Optional(Type.String()), source: Type.Optional(Type.String()), cues: Type.Array(CueDto) }) }, 400, 401, 403, 404),
      },
    },
    async (request) => services.captions.transcript(actorOf(request), request.params.id, request.query),
  );

  app.put(
    '/talks/:id/captions/:lang',
    {
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        params: LangParams,
        consumes: ['application/json', 'multipart/form-data', ...CAPTION_FILE_TYPES],
        body: {
          content: {
            'application/json': { schema: EditedCues },
          },
        },
        response: withErrors(
          { 200: Type.Object({ lang: Type.String(), label: Type.String(), source: Type.String(), cues: Type.Array(CueDto) }) },
          400, 401, 403, 404, 413, 415,
        ),
      },
    },
    async (request) => {
      const actor = actorOf(request);
      let input: CaptionInput;
      if (request.isMultipart()) {
        const part = await request.file({ limits: { fileSize: MAX_CAPTION_FILE_BYTES, files: 1 } });
        if (!part || part.fieldname !== 'file') throw services.errors.badRequest('NO_CAPTION_FILE', 'Send the caption file in the "file" field.');
        const content = await part.toBuffer();
        input = { kind: 'file', content };
      } else if (Buffer.isBuffer(request.body)) {
        input = { kind: 'file', content: request.body };
      } else {
        const body = request.body as { cues: { startSec: number; endSec: number; text: string }[]; label?: string };
        input = { kind: 'cues', cues: body.cues, label: body.label };
      }
      return services.captions.replace(actor, request.params.id, request.params.lang, input);
    },
  );

  app.get(
    '/talks/:id/captions/:file',
    {
      config: { public: true },
      schema: {
        params: Type.Object({ id: Uuid, file: Type.String({ maxLength: 40 }) }),
        querystring: Type.Object({ token: Type.String({ minLength: 10, maxLength: 2000 }) }),
        response: withErrors({}, 400, 403, 404),
      },
    },
    async (request, reply) => {
      const lang = VTT_FILE.exec(request.params.file)?.[1];
      if (!lang) throw services.errors.notFound('That caption file');
      const text = await services.captions.webVtt(request.params.id, lang, request.query.token);
      return reply.type('text/vtt; charset=utf-8').header('cache-control', 'private, no-store').send(text);
    },
  );
};
