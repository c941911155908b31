import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../app.ts';
import { actorOf, SESSION_COOKIE } from '../plugins/session.ts';
import { toPublicUser } from '../services/auth-service.ts';
import { UserDto, withErrors } from './schemas.ts';

export const authRoutes = (services: Services, options: { secureCookies: boolean; loginPerMinute: number }): FastifyPluginAsyncTypebox => async (app) => {
  app.post(
    '/auth/login',
    {
      config: { public: true, rateLimit: { max: options.loginPerMinute, timeWindow: 60_000 } },
      schema: {
        body: Type.Object({ email: Type.String({ minLength: 3, maxLength: 320 }), password: Type.String({ minLength: 1, maxLength: 1024 }) }),
        response: withErrors({ 200: Type.Object({ user: UserDto }) }, 400, 401, 429),
      },
    },
    async (request, reply) => {
      const { token, expiresAt, user } = await services.auth.login(request.body.email, request.body.password);
      reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/', expires: expiresAt });
      return { user: user as typeof UserDto.static };
    },
  );

  app.post('/auth/logout', { config: { public: true }, schema: { response: { 200: Type.Object({ ok: Type.Boolean() }) } } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await services.auth.logout(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/me', { schema: { response: withErrors({ 200: UserDto }, 401) } }, async (request) => toPublicUser(actorOf(request)) as typeof UserDto.static);
};
