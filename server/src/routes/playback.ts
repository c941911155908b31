import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../app.ts';
import { actorOf } from '../plugins/session.ts';
import { IdParams, Uuid, withErrors } from './schemas.ts';

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';
const TokenQuery = Type.Object({ token: Type.String({ minLength: 10, maxLength: 2000 }) });

export const playbackRoutes = (services: Services, options: { publicUrl?: string }): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/talks/:id/playback',
    {
      schema: {
        params: IdParams,
        response: withErrors(
          {
            200: Type.Object({
              masterPlaylistUrl: Type.String(),
              captions: Type.Array(Type.Object({ lang: Type.String(), label: Type.String(), url: Type.String() })),
              posterUrl: Type.Union([Type.String(), Type.Null()]),
              storyboardUrl: Type.Optional(Type.String()),
              expiresAt: Type.String(),
            }),
          },
          400, 401, 403, 404, 409,
        ),
      },
    },
    async (request, reply) => {
      // Playlist URLs must be absolute: ffprobe and other players take them as they are.
      const origin = options.publicUrl ?? `${request.protocol}://${request.host}`;
      reply.header('cache-control', 'no-store');
      return services.playback.start(actorOf(request), request.params.id, origin);
    },
  );

  app.get(
    '/talks/:id/hls/master.m3u8',
    { config: { public: true }, schema: { params: IdParams, querystring: TokenQuery, response: withErrors({}, 400, 403, 404) } },
    async (request, reply) => {
      const text = await services.playback.masterPlaylist(request.params.id, request.query.token);
      return reply.type(PLAYLIST_TYPE).header('cache-control', 'private, no-store').send(text);
    },
  );

  app.get(
    '/talks/:id/storyboard.vtt',
    { config: { public: true }, schema: { params: IdParams, querystring: TokenQuery, response: withErrors({}, 400, 403, 404, 503) } },
    async (request, reply) => {
      const text = await services.playback.storyboardVtt(request.params.id, request.query.token);
      return reply.type('text/vtt; charset=utf-8').header('cache-control', 'private, no-store').send(text);
    },
  );

  app.get(
    '/talks/:id/hls/:height/index.m3u8',
    {
      config: { public: true },
      schema: {
        params: Type.Object({ id: Uuid, height: Type.Integer({ minimum: 1, maximum: 8640 }) }),
        querystring: TokenQuery,
        response: withErrors({}, 400, 403, 404, 503),
      },
    },
    async (request, reply) => {
      const text = await services.playback.mediaPlaylist(request.params.id, request.params.height, request.query.token);
      return reply.type(PLAYLIST_TYPE).header('cache-control', 'private, no-store').send(text);
    },
  );
};
