import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../app.ts';
import { actorOf, SESSION_COOKIE } from '../plugins/session.ts';
import { IdParams, UserDto, Uuid, withErrors } from './schemas.ts';

const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('facilitator'), Type.Literal('speaker'), Type.Literal('member')]);
const PersonDto = Type.Object({ id: Type.String(), email: Type.String(), name: Type.String(), role: RoleSchema, groupIds: Type.Array(Type.String()) });
const GroupDto = Type.Object({ id: Type.String(), name: Type.String(), memberIds: Type.Array(Type.String()) });
const InviteDto = Type.Object({ id: Type.String(), email: Type.String(), name: Type.String(), role: RoleSchema, groupIds: Type.Array(Type.String()), expiresAt: Type.String() });
const TokenParams = Type.Object({ token: Type.String({ minLength: 20, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' }) });

export const peopleRoutes = (services: Services, options: { secureCookies: boolean }): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/people', { schema: { response: withErrors({ 200: Type.Object({ people: Type.Array(PersonDto) }) }, 401, 403) } }, async (request) => ({
    people: await services.people.list(actorOf(request)),
  }));

  app.patch(
    '/people/:id',
    { schema: { params: IdParams, body: Type.Object({ role: RoleSchema }, { additionalProperties: false }), response: withErrors({ 200: PersonDto }, 400, 401, 403, 404, 409) } },
    async (request) => services.people.setRole(actorOf(request), request.params.id, request.body.role),
  );

  app.get('/groups', { schema: { response: withErrors({ 200: Type.Object({ groups: Type.Array(GroupDto) }) }, 401) } }, async (request) => ({
    groups: await services.people.listGroups(actorOf(request)),
  }));

  app.post(
    '/groups',
    {
      schema: {
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }) }, { additionalProperties: false }),
        response: withErrors({ 201: GroupDto }, 400, 401, 403, 409),
      },
    },
    async (request, reply) => reply.status(201).send(await services.people.createGroup(actorOf(request), request.body.name)),
  );

  app.delete('/groups/:id', { schema: { params: IdParams, response: withErrors({ 204: Type.Null() }, 400, 401, 403, 404) } }, async (request, reply) => {
    await services.people.deleteGroup(actorOf(request), request.params.id);
    return reply.status(204).send();
  });

  app.put(
    '/groups/:id/members/:userId',
    { schema: { params: Type.Object({ id: Uuid, userId: Uuid }), response: withErrors({ 204: Type.Null() }, 400, 401, 403, 404) } },
    async (request, reply) => {
      await services.people.addToGroup(actorOf(request), request.params.id, request.params.userId);
      return reply.status(204).send();
    },
  );

  app.delete(
    '/groups/:id/members/:userId',
    { schema: { params: Type.Object({ id: Uuid, userId: Uuid }), response: withErrors({ 204: Type.Null() }, 400, 401, 403, 404) } },
    async (request, reply) => {
      await services.people.removeFromGroup(actorOf(request), request.params.id, request.params.userId);
      return reply.status(204).send();
    },
  );

  app.post(
    '/invites',
    {
      schema: {
        body: Type.Object(
          {
            email: Type.String({ format: 'email', maxLength: 320 }),
            name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
            role: Type.Optional(RoleSchema),
            groupIds: Type.Optional(Type.Array(Uuid, { maxItems: 100 })),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 201: Type.Intersect([InviteDto, Type.Object({ inviteUrl: Type.String() })]) }, 400, 401, 403, 409),
      },
    },
    async (request, reply) => reply.status(201).send(await services.people.invite(actorOf(request), { ...request.body, role: request.body.role ?? 'member' })),
  );

  app.get('/invites', { schema: { response: withErrors({ 200: Type.Object({ invites: Type.Array(InviteDto) }) }, 401, 403) } }, async (request) => ({
    invites: await services.people.listInvites(actorOf(request)),
  }));

  app.get(
    '/invites/:token',
    {
      config: { public: true },
      schema: {
        params: TokenParams,
        response: withErrors({ 200: Type.Object({ email: Type.String(), name: Type.String(), role: RoleSchema, orgName: Type.String(), expiresAt: Type.String() }) }, 400, 404, 409),
      },
    },
    async (request) => services.people.describeInvite(request.params.token),
  );

  app.post(
    '/invites/:token/accept',
    {
      config: { public: true },
      schema: {
        params: TokenParams,
        body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }), name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }, { additionalProperties: false }),
        response: withErrors({ 200: Type.Object({ user: UserDto }) }, 400, 404, 409),
      },
    },
    async (request, reply) => {
      const { email } = await services.people.acceptInvite(request.params.token, request.body);
      // Accepting signs the person in, as a signup would.
      const { token, expiresAt, user } = await services.auth.login(email, request.body.password);
      reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/', expires: expiresAt });
      return { user: user as typeof UserDto.static };
    },
  );
};
