import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../app.ts';
import { actorOf } from '../plugins/session.ts';
import { IdParams, Phase, TalkStateSchema, Uuid, withErrors } from './schemas.ts';

// ISO-8601 with an explicit offset; the service checks the form, so that a missing zone gets its own error code.
const Instant = Type.String({ minLength: 1, maxLength: 40 });
const GroupIds = Type.Array(Uuid, { maxItems: 200 });
const RetentionDays = Type.Integer({ minimum: 0, maximum: 3650 });
const JoinUrl = Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 });

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
  agenda: Type.Optional(Type.String()),
  timeLeftSeconds: Type.Optional(Type.Integer()),
  audience: Type.Union([Type.Literal('org'), Type.Literal('groups')]),
  audienceGroupIds: Type.Optional(Type.Array(Type.String())),
  publishedAt: Type.Optional(Type.String()),
  retentionDays: Type.Optional(Type.Integer()),
});

const TalkSummary = Type.Object({
  id: Type.String(),
  meetingId: Type.String(),
  speakerId: Type.Optional(Type.String()),
  title: Type.String(),
  state: TalkStateSchema,
  durationSeconds: Type.Optional(Type.Number()),
});

const Progress = Type.Object({ completion: Type.Number(), positionSec: Type.Number() });
const MeetingWithTalks = Type.Intersect([MeetingDto, Type.Object({ talks: Type.Array(Type.Intersect([TalkSummary, Type.Object({ progress: Progress })])) })]);
const Person = Type.Object({ id: Type.String(), name: Type.String(), email: Type.String(), talksStarted: Type.Integer(), talksFinished: Type.Integer() });

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
            qaJoinUrl: Type.Optional(JoinUrl),
            agenda: Type.Optional(Type.String({ maxLength: 20_000 })),
            audienceGroupIds: Type.Optional(GroupIds),
            retentionDays: Type.Optional(RetentionDays),
            draft: Type.Optional(Type.Boolean()),
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
    { schema: { params: IdParams, response: withErrors({ 200: MeetingWithTalks }, 400, 401, 404) } },
    async (request) => services.meetings.get(actorOf(request), request.params.id),
  );

  app.patch(
    '/meetings/:id',
    {
      schema: {
        params: IdParams,
        body: Type.Object(
          {
            title: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
            description: Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()])),
            agenda: Type.Optional(Type.Union([Type.String({ maxLength: 20_000 }), Type.Null()])),
            windowOpensAt: Type.Optional(Instant),
            windowClosesAt: Type.Optional(Instant),
            qaStartsAt: Type.Optional(Instant),
            qaDurationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 480 })),
            qaJoinUrl: Type.Optional(Type.Union([JoinUrl, Type.Null()])),
            audienceGroupIds: Type.Optional(Type.Union([GroupIds, Type.Null()])),
            retentionDays: Type.Optional(Type.Union([RetentionDays, Type.Null()])),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: withErrors({ 200: MeetingWithTalks }, 400, 401, 403, 404),
      },
    },
    async (request) => services.meetings.update(actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/meetings/:id/publish',
    { schema: { params: IdParams, response: withErrors({ 200: MeetingWithTalks }, 400, 401, 403, 404) } },
    async (request) => services.meetings.publish(actorOf(request), request.params.id),
  );

  app.get(
    '/meetings/:id/insights',
    {
      schema: {
        params: IdParams,
        response: withErrors(
          {
            200: Type.Object({
              meetingId: Type.String(),
              audienceSize: Type.Integer(),
              talks: Type.Array(Type.Object({ talkId: Type.String(), title: Type.String(), viewers: Type.Integer(), averageCompletion: Type.Number() })),
              people: Type.Array(Person),
              notWatched: Type.Array(Person),
              notFinished: Type.Array(Person),
            }),
          },
          400, 401, 403, 404,
        ),
      },
    },
    async (request) => services.insights.meeting(actorOf(request), request.params.id),
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
