import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionActor } from '../repositories/sessions.ts';
import type { AuthService } from '../services/auth-service.ts';
import { errors } from '../errors.ts';

export const SESSION_COOKIE = 'ts_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: SessionActor | null;
  }
  interface FastifyContextConfig {
    /** A route that answers without a session (login, health, token-signed playlists). */
    public?: boolean;
  }
}

/** Every API route needs a session unless it says it is public: the safe default. */
export function registerSession(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    // Runs before the body is read, so an upload without a session is refused before any byte is stored.
    if (request.is404) return;
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.actor = (await auth.resolve(token)) ?? null;
    if (!request.actor && !request.routeOptions.config.public) throw errors.unauthenticated();
  });
}

export function actorOf(request: FastifyRequest): SessionActor {
  if (!request.actor) throw errors.unauthenticated();
  return request.actor;
}
