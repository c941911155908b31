import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Clock } from '@timeshift/shared/clock';
import type { Database } from '@timeshift/shared/db/schema';
import type { ObjectStorage } from '@timeshift/shared/storage/s3';
import type { S3Config } from '@timeshift/shared/config';
import type { PasswordHasher } from './adapters/password.ts';
import type { JobQueue } from './adapters/queue.ts';
import { createTusGateway } from './adapters/tus.ts';
import { AppError, errors } from './errors.ts';
import { registerErrorHandler } from './plugins/error-handler.ts';
import { registerSession, SESSION_COOKIE } from './plugins/session.ts';
import { healthRepository } from './repositories/health.ts';
import { meetingsRepository } from './repositories/meetings.ts';
import { audienceRepository } from './repositories/audience.ts';
import { groupsRepository } from './repositories/groups.ts';
import { invitesRepository } from './repositories/invites.ts';
import { meetingStore } from './repositories/meeting-store.ts';
import { peopleRepository } from './repositories/people.ts';
import { progressRepository } from './repositories/progress.ts';
import { folderMailbox } from './adapters/mail.ts';
import { devMailboxRoutes } from './routes/dev-mailbox.ts';
import { peopleRoutes } from './routes/people.ts';
import { progressRoutes } from './routes/progress.ts';
import { insightsService } from './services/insights-service.ts';
import { meetingAccess } from './services/meeting-access.ts';
import { peopleService } from './services/people-service.ts';
import { progressService } from './services/progress-service.ts';
import { sessionsRepository } from './repositories/sessions.ts';
import { talksRepository } from './repositories/talks.ts';
import { uploadsRepository } from './repositories/uploads.ts';
import { resumableUploadsRepository } from './repositories/resumable-uploads.ts';
import { usersRepository } from './repositories/users.ts';
import { captionsRepository } from './repositories/captions.ts';
import { authRoutes } from './routes/auth.ts';
import { captionRoutes } from './routes/captions.ts';
import { healthRoutes } from './routes/health.ts';
import { liveRoutes } from './routes/live.ts';
import { questionRoutes } from './routes/questions.ts';
import { meetingRoutes } from './routes/meetings.ts';
import { playbackRoutes } from './routes/playback.ts';
import { talkRoutes } from './routes/talks.ts';
import { uploadRoutes } from './routes/upload.ts';
import { tusRoutes } from './routes/tus.ts';
import { authService } from './services/auth-service.ts';
import { captionService } from './services/caption-service.ts';
import { healthService } from './services/health-service.ts';
import { MAX_FRAME_BYTES } from './services/live-protocol.ts';
import { liveQa } from './services/live-qa.ts';
import { meetingService } from './services/meeting-service.ts';
import { playbackService } from './services/playback-service.ts';
import { talkService } from './services/talk-service.ts';
import { uploadService } from './services/upload-service.ts';
import { resumableUploadService } from './services/resumable-upload-service.ts';

export interface AppDeps {
  db: Kysely<Database>;
  storage: ObjectStorage;
  /** Where resumable (tus) uploads write their S3 multipart uploads; without it the tus routes are absent. */
  s3?: S3Config;
  queue: JobQueue;
  clock: Clock;
  hasher: PasswordHasher;
  config: {
    maxUploadBytes: number;
    sessionSecret: string;
    secureCookies: boolean;
    publicUrl?: string;
    loginPerMinute?: number;
    writesPerMinute?: number;
    /** Embedded mode: the folder where the local SMTP server keeps caught mail, served at /dev/mailbox. */
    devMailboxDir?: string;
    /** LISTEN/NOTIFY fan-out of the live rooms across API processes. */
    databaseUrl?: string;
  };
  /** The built SvelteKit app, served on the same origin for every path outside /api. */
  webHandler?: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  logger?: FastifyServerOptions['logger'];
}

export function buildServices(deps: AppDeps) {
  const users = usersRepository(deps.db);
  const sessions = sessionsRepository(deps.db);
  const meetings = meetingsRepository(deps.db);
  const talks = talksRepository(deps.db);
  const uploads = uploadsRepository(deps.db);
  const audience = audienceRepository(deps.db);
  const groups = groupsRepository(deps.db);
  const progress = progressRepository(deps.db);
  const access = meetingAccess({ meetings, talks, clock: deps.clock });
  const qa = liveQa({ db: deps.db, meetings, talks, clock: deps.clock, databaseUrl: deps.config.databaseUrl });
  const receiving = uploadService({ talks, uploads, storage: deps.storage, queue: deps.queue, clock: deps.clock, maxUploadBytes: deps.config.maxUploadBytes });
  return {
    errors,
    captions: captionService({ access, captions: captionsRepository(deps.db), clock: deps.clock, secret: deps.config.sessionSecret }),
    auth: authService({ users, sessions, hasher: deps.hasher, clock: deps.clock }),
    health: healthService({ probe: healthRepository(deps.db), storage: deps.storage }),
    meetings: meetingService({ store: meetingStore(deps.db), talks, users, groups, progress, access, queue: deps.queue, clock: deps.clock }),
    progress: progressService({ access, progress, clock: deps.clock }),
    insights: insightsService({ access, progress, talks }),
    people: peopleService({ people: peopleRepository(deps.db), groups, invites: invitesRepository(deps.db), users, hasher: deps.hasher, queue: deps.queue, clock: deps.clock, publicUrl: deps.config.publicUrl ?? 'http://localhost:3000' }),
    talks: talkService({ talks, access, storage: deps.storage, clock: deps.clock }),
    uploads: receiving,
    resumableUploads: resumableUploadService({ talks, resumable: resumableUploadsRepository(deps.db), uploads: receiving, storage: deps.storage, clock: deps.clock, maxUploadBytes: deps.config.maxUploadBytes }),
    questions: qa.questions,
    live: qa.live,
    liveQa: qa,
    playback: playbackService({ talks, access, storage: deps.storage, clock: deps.clock, secret: deps.config.sessionSecret }),
  };
}
export type Services = ReturnType<typeof buildServices>;

/** Builds the whole app; never listens (main.ts does, tests use inject). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    trustProxy: true,
    bodyLimit: 1024 * 1024,
    // Unknown fields are an error the client should hear about, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  const services = buildServices(deps);

  if (deps.webHandler) {
    const web = deps.webHandler;
    // Pages are the web app's; they are handed over before Fastify reads any body.
    app.addHook('onRequest', (request, reply, done) => {
      if (request.url.startsWith('/api/')) return done();
      reply.hijack();
      web(request.raw, reply.raw, () => {
        reply.raw.statusCode = 404;
        reply.raw.end('Not found');
      });
    });
  }

  registerErrorHandler(app);
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: deps.config.maxUploadBytes, files: 1, fields: 5, parts: 6 } });

  // Every write is rate-limited, per session (or per address when signed out), without each route opting in.
  const writesPerMinute = deps.config.writesPerMinute ?? 300;
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const writes = methods.some((m) => !['GET', 'HEAD', 'OPTIONS'].includes(m));
    route.config ??= {};
    const config = route.config as { rateLimit?: unknown };
    if (writes && config.rateLimit === undefined) {
      config.rateLimit = { max: writesPerMinute, timeWindow: 60_000, keyGenerator: (r: { cookies: Record<string, string | undefined>; ip: string }) => r.cookies[SESSION_COOKIE] ?? r.ip };
    }
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      Object.assign(new AppError('RATE_LIMITED', 429, `Too many requests. Try again in ${Math.ceil(ctx.ttl / 1000)} s.`), { statusCode: 429 }),
  });
  await app.register(swagger, {
    openapi: { info: { title: 'Timeshift API', version: '1.0.0' }, servers: [{ url: '/' }] },
  });
  // Registered before the session hook, so that an upgrade refused there still has its socket released.
  // Oversized frames are refused by ws itself (close 1009); a client's protocol error is not ours to log loudly.
  await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES }, errorHandler: (error, _socket, request) => request.log.info({ err: error }, 'live socket error') });
  registerSession(app, services.auth);
  await services.liveQa.start();
  app.addHook('onClose', async () => services.liveQa.close());

  await app.register(
    async (api) => {
      await api.register(healthRoutes(services));
      await api.register(authRoutes(services, { secureCookies: deps.config.secureCookies, loginPerMinute: deps.config.loginPerMinute ?? 10 }));
      await api.register(meetingRoutes(services));
      await api.register(talkRoutes(services));
      await api.register(uploadRoutes(services, { maxUploadBytes: deps.config.maxUploadBytes }));
      if (deps.s3) await api.register(tusRoutes(services, createTusGateway(deps.s3, { maxUploadBytes: deps.config.maxUploadBytes }), { maxUploadBytes: deps.config.maxUploadBytes }));
      await api.register(playbackRoutes(services, { publicUrl: deps.config.publicUrl }));
      await api.register(captionRoutes(services));
      await api.register(progressRoutes(services));
      await api.register(peopleRoutes(services, { secureCookies: deps.config.secureCookies }));
      if (deps.config.devMailboxDir) await api.register(devMailboxRoutes(folderMailbox(deps.config.devMailboxDir)));
      await api.register(questionRoutes(services));
      await api.register(liveRoutes(services, { publicUrl: deps.config.publicUrl }));
      api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api/v1' },
  );
  return app;
}
