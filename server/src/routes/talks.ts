import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../app.ts';
import { actorOf } from '../plugins/session.ts';
import { IdParams, TalkStateSchema, withErrors } from './schemas.ts';

const TalkDto = Type.Object({
  id: Type.String(),
  meetingId: Type.String(),
  speakerId: Type.Optional(Type.String()),
  title: Type.String(),
  description: Type.Optional(Type.String()),
  state: TalkStateSchema,
  failureReason: Type.Optional(Type.String()),
  durationSeconds: Type.Optional(Type.Number()),
  renditions: Type.Array(Type.Object({ height: Type.Integer(), width: Type.Integer(), bandwidth: Type.Integer() })),
  captions: Type.Array(Type.Object({ lang: Type.String(), label: Type.String(), source: Type.String() })),
  posterUrl: Type.Optional(Type.String()),
  steps: Type.Array(
    Type.Object({
      step: Type.String(),
      state: Type.Union([Type.Literal('pending'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
      percent: Type.Integer({ minimum: 0, maximum: 100 }),
      error: Type.Optional(Type.String()),
    }),
  ),
});

export const talkRoutes = (services: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/talks/:id', { schema: { params: IdParams, response: withErrors({ 200: TalkDto }, 400, 401, 404) } }, async (request) =>
    services.talks.get(actorOf(request), request.params.id),
  );
};
