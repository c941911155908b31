import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WebSocket } from 'ws';
import type { Services } from '../app.ts';
import { errors } from '../errors.ts';
import { actorOf } from '../plugins/session.ts';
import type { Participant } from '../services/live-hub.ts';
import { isAllowedOrigin } from '../services/live-origin.ts';
import { CLOSE_POLICY } from '../services/live-service.ts';
import { IdParams } from './schemas.ts';

/** A client that sends more than this many frames in ten seconds is flooding the room. */
const MAX_FRAMES_PER_10S = 100;
const HEARTBEAT_MS = 30_000;

export const liveRoutes = (services: Services, options: { publicUrl?: string }): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/meetings/:id/live',
    {
      websocket: true,
      schema: {
        params: IdParams,
        querystring: Type.Object({ since: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }),
      },
      // Runs before the upgrade: a refused join is a plain HTTP error and no socket is ever opened.
      preHandler: async (request) => {
        if (!isAllowedOrigin(request.headers.origin, request.host, options.publicUrl)) {
          throw errors.forbidden('This room can only be opened from Timeshift itself.');
        }
        await services.live.authorizeJoin(actorOf(request), request.params.id);
      },
    },
    (socket: WebSocket, request) => {
      const actor = actorOf(request);
      const meetingId = request.params.id;
      let participant: Participant | undefined;
      let open = true;
      let chain: Promise<unknown> = Promise.resolve();
      let frames = 0;
      let windowStart = Date.now();
      let alive = true;

      const closeWith = (code: number, reason: string) => {
        if (!open) return;
        open = false;
        socket.close(code, reason);
      };

      socket.on('message', (data, isBinary) => {
        if (!open) return;
        const now = Date.now();
        if (now - windowStart > 10_000) {
          windowStart = now;
          frames = 0;
        }
        if (++frames > MAX_FRAMES_PER_10S) return closeWith(CLOSE_POLICY, 'Too many messages; slow down.');
        if (isBinary) return closeWith(CLOSE_POLICY, 'Send JSON text frames.');
        const frame = data.toString();
        // Commands run in the order they arrive, after the snapshot has gone out.
        chain = chain.then(async () => {
          if (!open) return;
          const answer = await services.live.receive(actor, meetingId, frame);
          if ('close' in answer) return closeWith(answer.close.code, answer.close.reason);
          if (open) socket.send(JSON.stringify(answer));
        }).catch((e) => {
          request.log.error({ err: e }, 'live command failed');
          if (open) socket.send(JSON.stringify({ type: 'error', code: 'INTERNAL', message: 'That did not work; try again.' }));
        });
      });

      // Dead connections (a laptop lid closed) are found by ping and let go.
      socket.on('pong', () => {
        alive = true;
      });
      const heartbeat = setInterval(() => {
        if (!alive) return socket.terminate();
        alive = false;
        socket.ping();
      }, HEARTBEAT_MS);
      heartbeat.unref();

      socket.on('close', () => {
        open = false;
        clearInterval(heartbeat);
        if (participant) services.live.leave(meetingId, participant);
      });

      const joining = services.live.join(actor, meetingId, socket, request.query.since).then(
        (p) => {
          participant = p;
          if (!open) services.live.leave(meetingId, p);
        },
        (e) => {
          request.log.error({ err: e }, 'joining the live room failed');
          closeWith(1011, 'Could not load the room; reconnect.');
        },
      );
      chain = joining;
    },
  );
};
