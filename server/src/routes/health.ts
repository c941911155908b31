import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../app.ts';

const Health = Type.Object({ ok: Type.Boolean(), db: Type.Boolean(), storage: Type.Boolean() });

export const healthRoutes = (services: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/health', { config: { public: true }, schema: { response: { 200: Health, 503: Health } } }, async (_req, reply) => {
    const health = await services.health.check();
    return reply.status(health.ok ? 200 : 503).send(health);
  });
};
