import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../app.ts';
import { actorOf } from '../plugins/session.ts';
import { IdParams, withErrors } from './schemas.ts';

const Progress = { completion: Type.Number({ minimum: 0, maximum: 1 }), positionSec: Type.Number() };

export const progressRoutes = (services: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.post(
    '/talks/:id/progress',
    {
      schema: {
        params: IdParams,
        body: Type.Object(
          {
            // Range checks against the talk's duration happen in the service, with codes of their own.
            ranges: Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }), { maxItems: 500 }),
            positionSec: Type.Number(),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Object(Progress) }, 400, 401, 403, 404, 409),
      },
    },
    async (request) => services.progress.record(actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/talks/:id/progress',
    {
      schema: {
        params: IdParams,
        response: withErrors({ 200: Type.Object({ ...Progress, watched: Type.Array(Type.Array(Type.Integer())) }) }, 400, 401, 404),
      },
    },
    async (request) => services.progress.get(actorOf(request), request.params.id),
  );

  app.get(
    '/talks/:id/insights',
    {
      schema: {
        params: IdParams,
        response: withErrors(
          {
            200: Type.Object({
              talkId: Type.String(),
              durationSeconds: Type.Optional(Type.Number()),
              viewers: Type.Integer(),
              averageCompletion: Type.Number(),
              bucketSeconds: Type.Integer(),
              retention: Type.Array(Type.Object({ startSec: Type.Integer(), viewers: Type.Integer(), share: Type.Number(), rewatchers: Type.Integer() })),
            }),
          },
          400, 401, 403, 404,
        ),
      },
    },
    async (request) => services.insights.talk(actorOf(request), request.params.id),
  );
};
