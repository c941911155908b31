import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../app.ts';
import { actorOf } from '../plugins/session.ts';
import { IdParams, Phase, TalkStateSchema, Uuid, withErrors } from './schemas.ts';

// ISO-8601 with an explicit offset: a time without a zone is ambiguous for a company across zones.
const Instant = Type.String({ format: 'date-time', maxLength: 40 });

const MeetingDto = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  title: Type.String(),
  description: Type.Optional(Type.String()),
  windowOpensAt: Type.String(),
  windowClosesAt: Type.String(),
  qaStartsAt: Type.String(),
  qaDurationMinutes: Type.Integer(),
  qaJoinUrl: Type.Optional(Type.String()),
  phase: Phase,
});

const TalkSummary = Type.Object({
  id: Type.String(),
  meetingId: Type.String(),
  speakerId: Type.Optional(Type.String()),
  title: Type.String(),
  state: TalkStateSchema,
  durationSeconds: Type.Optional(Type.Number()),
});

export const meetingRoutes = (services: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.post(
    '/meetings',
    {
      schema: {
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
            description: Type.Optional(Type.String({ maxLength: 10_000 })),
            windowOpensAt: Instant,
            windowClosesAt: Instant,
            qaStartsAt: Type.Optional(Instant),
            qaDurationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 480 })),
            qaJoinUrl: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 201: MeetingDto }, 400, 401, 403),
      },
    },
    async (request, reply) => reply.status(201).send(await services.meetings.create(actorOf(request), request.body)),
  );

  app.get('/meetings', { schema: { response: withErrors({ 200: Type.Object({ meetings: Type.Array(MeetingDto) }) }, 401) } }, async (request) => ({
    meetings: await services.meetings.list(actorOf(request)),
  }));

  app.get(
    '/meetings/:id',
    { schema: { params: IdParams, response: withErrors({ 200: Type.Intersect([MeetingDto, Type.Object({ talks: Type.Array(TalkSummary) })]) }, 400, 401, 404) } },
    async (request) => services.meetings.get(actorOf(request), request.params.id),
  );

  app.post(
    '/meetings/:id/talks',
    {
      schema: {
        params: IdParams,
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
            description: Type.Optional(Type.String({ maxLength: 10_000 })),
            speakerId: Type.Optional(Uuid),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 201: TalkSummary }, 400, 401, 403, 404),
      },
    },
    async (request, reply) => reply.status(201).send(await services.meetings.addTalk(actorOf(request), request.params.id, request.body)),
  );
};
