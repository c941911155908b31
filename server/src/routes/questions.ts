import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../app.ts';
import { actorOf } from '../plugins/session.ts';
import { IdParams, Uuid, withErrors } from './schemas.ts';

export const QuestionStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('hidden'), Type.Literal('answering'), Type.Literal('answered')]);

export const QuestionDto = Type.Object({
  id: Type.String(),
  meetingId: Type.String(),
  text: Type.String(),
  votes: Type.Integer(),
  votedByMe: Type.Boolean(),
  mine: Type.Boolean(),
  status: QuestionStatusSchema,
  pinned: Type.Boolean(),
  talkId: Type.Optional(Type.String()),
  atSec: Type.Optional(Type.Number()),
  // Absent when the question was asked anonymously, for every viewer.
  author: Type.Optional(Type.Object({ id: Type.String(), name: Type.String() })),
  createdAt: Type.String(),
  answer: Type.Optional(
    Type.Object({ live: Type.Boolean(), answeredAt: Type.String(), text: Type.Optional(Type.String()), talkId: Type.Optional(Type.String()), atSec: Type.Optional(Type.Number()) }),
  ),
});

/** The question as events and agendas show it: the same, without the per-person fields. */
const QuestionViewDto = Type.Omit(QuestionDto, ['votedByMe', 'mine']);

const AgendaDto = Type.Object({
  meetingId: Type.String(),
  frozenAt: Type.Optional(Type.String()),
  sections: Type.Array(
    Type.Object({
      talkId: Type.Optional(Type.String()),
      title: Type.String(),
      questions: Type.Array(Type.Intersect([QuestionViewDto, Type.Object({ rank: Type.Optional(Type.Integer()) })])),
    }),
  ),
});

const BriefDto = Type.Object({
  talkId: Type.String(),
  title: Type.String(),
  questionCount: Type.Integer(),
  topQuestions: Type.Array(QuestionViewDto),
  busiestMoments: Type.Array(Type.Object({ startSec: Type.Number(), endSec: Type.Number(), questions: Type.Integer() })),
});

const VoteDto = Type.Object({ id: Type.String(), votes: Type.Integer(), votedByMe: Type.Boolean() });

// Length is checked in the service too, in characters a person sees; this bound only keeps bodies small.
const QuestionText = Type.String({ maxLength: 2000 });

export const questionRoutes = (services: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.post(
    '/meetings/:id/questions',
    {
      schema: {
        params: IdParams,
        body: Type.Object(
          {
            text: QuestionText,
            talkId: Type.Optional(Uuid),
            atSec: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400 })),
            anonymous: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 201: QuestionDto }, 400, 401, 403, 404, 409, 429),
      },
    },
    async (request, reply) => reply.status(201).send(await services.questions.ask(actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/meetings/:id/questions',
    {
      schema: {
        params: IdParams,
        querystring: Type.Object({ sort: Type.Optional(Type.Union([Type.Literal('top'), Type.Literal('new')])) }, { additionalProperties: false }),
        response: withErrors({ 200: Type.Object({ questions: Type.Array(QuestionDto) }) }, 400, 401, 403, 404),
      },
    },
    async (request) => services.questions.list(actorOf(request), request.params.id, request.query.sort ?? 'top'),
  );

  app.post(
    '/questions/:id/vote',
    { schema: { params: IdParams, response: withErrors({ 200: VoteDto }, 400, 401, 403, 404, 409) } },
    async (request) => services.questions.vote(actorOf(request), request.params.id),
  );

  app.delete(
    '/questions/:id/vote',
    { schema: { params: IdParams, response: withErrors({ 200: VoteDto }, 400, 401, 403, 404, 409) } },
    async (request) => services.questions.unvote(actorOf(request), request.params.id),
  );

  app.patch(
    '/questions/:id',
    {
      schema: {
        params: IdParams,
        body: Type.Object(
          { text: Type.Optional(QuestionText), status: Type.Optional(QuestionStatusSchema), pinned: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: QuestionDto }, 400, 401, 403, 404, 409),
      },
    },
    async (request) => services.questions.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/questions/:id',
    { schema: { params: IdParams, response: withErrors({ 204: Type.Null() }, 400, 401, 403, 404, 409) } },
    async (request, reply) => {
      await services.questions.remove(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/questions/:id/merge',
    {
      schema: {
        params: IdParams,
        body: Type.Object({ into: Uuid }, { additionalProperties: false }),
        response: withErrors({ 200: QuestionDto }, 400, 401, 403, 404, 409),
      },
    },
    async (request) => services.questions.merge(actorOf(request), request.params.id, request.body.into),
  );

  app.put(
    '/meetings/:id/moderation',
    {
      schema: {
        params: IdParams,
        body: Type.Object({ requireApproval: Type.Boolean() }, { additionalProperties: false }),
        response: withErrors({ 200: Type.Object({ requireApproval: Type.Boolean() }) }, 400, 401, 403, 404),
      },
    },
    async (request) => services.questions.setRequireApproval(actorOf(request), request.params.id, request.body.requireApproval),
  );

  app.get(
    '/meetings/:id/agenda',
    { schema: { params: IdParams, response: withErrors({ 200: AgendaDto }, 400, 401, 403, 404) } },
    async (request) => services.liveQa.agenda.agenda(actorOf(request), request.params.id),
  );

  app.get(
    '/talks/:id/brief',
    { schema: { params: IdParams, response: withErrors({ 200: BriefDto }, 400, 401, 403, 404) } },
    async (request) => services.liveQa.agenda.brief(actorOf(request), request.params.id),
  );

  app.post(
    '/questions/:id/answer',
    {
      schema: {
        params: IdParams,
        body: Type.Object(
          { text: Type.String({ maxLength: 20_000 }), talkId: Type.Optional(Uuid), atSec: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400 })) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: QuestionDto }, 400, 401, 403, 404, 409),
      },
    },
    async (request) => services.questions.answer(actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/meetings/:id/record',
    {
      schema: {
        params: IdParams,
        response: withErrors({ 200: Type.Object({ answeredLive: Type.Array(QuestionDto), answeredLater: Type.Array(QuestionDto), open: Type.Array(QuestionDto) }) }, 400, 401, 403, 404),
      },
    },
    async (request) => services.questions.record(actorOf(request), request.params.id),
  );

  app.post(
    '/meetings/:id/live/extend',
    { schema: { params: IdParams, response: withErrors({ 200: Type.Object({ qaEndsAt: Type.String(), qaDurationMinutes: Type.Integer() }) }, 400, 401, 403, 404, 409) } },
    async (request) => services.questions.extendTimer(actorOf(request), request.params.id),
  );
};
