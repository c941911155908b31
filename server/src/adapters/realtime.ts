// Fan-out across API processes: one dedicated connection per process LISTENs for room notifications.
import pg from 'pg';
import { LIVE_CHANNEL } from '../repositories/live.ts';

export type LiveNotice = { meetingId: string; seq: number } | { meetingId: string; presence: number };

export interface LiveListenerHandlers {
  onNotice(notice: LiveNotice): void;
  /** The connection was lost and is back: anything could have been missed in between. */
  onResync(): void;
  onError(error: unknown): void;
}

export function parseNotice(payload: string | undefined): LiveNotice | undefined {
  try {
    const raw = JSON.parse(payload ?? '') as { m?: unknown; s?: unknown; p?: unknown };
    if (typeof raw.m !== 'string') return undefined;
    if (typeof raw.s === 'number') return { meetingId: raw.m, seq: raw.s };
    if (raw.p !== undefined && Number.isFinite(Number(raw.p))) return { meetingId: raw.m, presence: Number(raw.p) };
  } catch {
    // Not ours.
  }
  return undefined;
}

export interface LiveListener {
  start(): Promise<void>;
  close(): Promise<void>;
}

export function pgLiveListener(connectionString: string, handlers: LiveListenerHandlers): LiveListener {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
    c.on('notification', (msg) => {
      if (msg.channel !== LIVE_CHANNEL) return;
      const notice = parseNotice(msg.payload);
      if (notice) handlers.onNotice(notice);
    });
    c.on('error', (e) => {
      handlers.onError(e);
      reconnectLater(c);
    });
    c.on('end', () => reconnectLater(c));
    await c.connect();
    await c.query(`LISTEN ${LIVE_CHANNEL}`);
    client = c;
  }

  function reconnectLater(lost: pg.Client): void {
    if (closed || client !== lost) return;
    client = null;
    lost.end().catch(() => undefined);
    scheduleConnect(250);
  }

  function scheduleConnect(delayMs: number): void {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      if (closed) return;
      connect()
        .then(() => handlers.onResync())
        .catch((e) => {
          handlers.onError(e);
          scheduleConnect(1000);
        });
    }, delayMs);
    retry.unref();
  }

  return {
    /** Never fails: without the database the rooms wait for it, and catch up once it answers. */
    async start() {
      await connect().catch((e) => {
        handlers.onError(e);
        scheduleConnect(1000);
      });
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
