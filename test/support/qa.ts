// Helpers for questions and the live room: meetings on a moved clock, many signed-in people, socket clients.
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import WebSocket from 'ws';
import type { Clock } from '@timeshift/shared/clock';
import type { Database } from '@timeshift/shared/db/schema';
import { sessionIdOf } from '../../server/src/services/auth-service.ts';

export const HOUR = 3600_000;

/** A meeting whose window opened an hour ago and closes in `closesInMs`, with a 20-minute live Q&A after it. */
export async function createMeeting(app: FastifyInstance, cookie: string, clock: Clock, closesInMs = 24 * HOUR, extra: Record<string, unknown> = {}) {
  const now = clock.now().getTime();
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/meetings',
    headers: { cookie },
    payload: {
      title: `All hands ${randomUUID().slice(0, 6)}`,
      windowOpensAt: new Date(now - HOUR).toISOString(),
      windowClosesAt: new Date(now + closesInMs).toISOString(),
      qaDurationMinutes: 20,
      qaJoinUrl: 'https://meet.example.test/all-hands',
      ...extra,
    },
  });
  if (res.statusCode !== 201) throw new Error(`meeting not created: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; windowClosesAt: string; qaStartsAt: string };
}

export interface Member {
  id: string;
  cookie: string;
}

/** Many members of one org with sessions written straight to the table: hashing 100 passwords would only slow tests. */
export async function addMembers(db: Kysely<Database>, orgId: string, count: number, now: Date): Promise<Member[]> {
  const tag = randomUUID().slice(0, 8);
  const users = await db
    .insertInto('users')
    .values(Array.from({ length: count }, (_, i) => ({ email: `viewer${i}-${tag}@example.test`, name: `Viewer ${i} ${tag}`, password_hash: null })))
    .returning('id')
    .execute();
  await db.insertInto('memberships').values(users.map((u) => ({ user_id: u.id, org_id: orgId, role: 'member' as const }))).execute();
  const tokens = users.map(() => randomBytes(32).toString('base64url'));
  await db
    .insertInto('sessions')
    .values(users.map((u, i) => ({ id: sessionIdOf(tokens[i]!), user_id: u.id, org_id: orgId, expires_at: new Date(now.getTime() + 30 * 24 * HOUR) })))
    .execute();
  return users.map((u, i) => ({ id: u.id, cookie: `ts_session=${tokens[i]}` }));
}

export interface LiveClient {
  socket: WebSocket;
  messages: Record<string, any>[];
  /** Resolves with the first message (already received or still to come) that matches. */
  next(match: (m: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  close(): void;
}

export function liveUrl(base: string, meetingId: string, since?: number): string {
  return `${base.replace(/^http/, 'ws')}/api/v1/meetings/${meetingId}/live${since !== undefined ? `?since=${since}` : ''}`;
}

/** Opens the room as a browser on our own origin would; resolves once the socket is open. */
export function connectLive(url: string, cookie: string, origin?: string): Promise<LiveClient> {
  const socket = new WebSocket(url, { headers: { cookie, ...(origin ? { origin } : {}) } });
  const messages: Record<string, any>[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    messages.push(JSON.parse(data.toString()));
    for (const w of waiters) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const client: LiveClient = {
    socket,
    messages,
    closed,
    next(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 2000)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { statusCode: res.statusCode })));
    socket.once('error', reject);
  });
}
