// This process's share of the live rooms: who is connected here, and delivery of each room's events in order.
import type { LiveEvent } from '../repositories/live.ts';

export interface LiveSocket {
  send(data: Buffer, options: { binary: boolean }): void;
  /** Bytes queued for this client and not yet written to the network. */
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
}

export interface Participant {
  socket: LiveSocket;
  moderator: boolean;
  /** The last sequence number this participant has been given (or had withheld, when not theirs to see). */
  lastSeq: number;
  /** While the snapshot is being built, events wait here in order. */
  pending: LiveEvent[] | null;
}

export interface LiveHubDeps {
  eventsAfter(meetingId: string, afterSeq: number, limit: number): Promise<LiveEvent[]>;
  currentSeq(meetingId: string): Promise<number>;
  publishPresence(meetingId: string, count: number): Promise<void>;
  onError(error: unknown): void;
  /** A client with more than this many bytes unsent is dropped; it reconnects and catches up. */
  maxBufferedBytes?: number;
  presenceDebounceMs?: number;
}

/** Close code for a client dropped for reading too slowly (1013: try again later). */
export const CLOSE_TOO_SLOW = 1013;
const MAX_PENDING_EVENTS = 5_000;
const FETCH_BATCH = 500;
const TEXT_FRAME = { binary: false };

interface Room {
  meetingId: string;
  lastSeq: number;
  participants: Set<Participant>;
  presence: number;
  /** Deliveries run one after another, so events leave in sequence order. */
  chain: Promise<void>;
  presenceTimer: NodeJS.Timeout | null;
}

export function wireEvent(e: LiveEvent): string {
  return JSON.stringify({ type: e.type, seq: e.seq, ...e.payload });
}

export function sendJson(socket: LiveSocket, message: object | string): void {
  socket.send(Buffer.from(typeof message === 'string' ? message : JSON.stringify(message)), TEXT_FRAME);
}

export function liveHub(deps: LiveHubDeps) {
  const rooms = new Map<string, Room>();
  const starting = new Map<string, Promise<Room>>();
  const maxBuffered = deps.maxBufferedBytes ?? 4 * 1024 * 1024;

  function drop(room: Room, p: Participant): void {
    room.participants.delete(p);
    try {
      p.socket.close(CLOSE_TOO_SLOW, 'Too far behind; reconnect to catch up.');
    } catch {
      // Already gone.
    }
  }

  /** Frames go out as text; one encoded buffer is shared by every socket of the room. */
  function sendTo(room: Room, p: Participant, frame: Buffer): void {
    if (p.socket.bufferedAmount > maxBuffered) return drop(room, p);
    p.socket.send(frame, TEXT_FRAME);
  }

  function deliver(room: Room, event: LiveEvent): void {
    let frame: Buffer | undefined;
    for (const p of room.participants) {
      // A joining participant's position is not known until its snapshot is out: keep everything.
      if (p.pending) {
        if (p.pending.length >= MAX_PENDING_EVENTS) drop(room, p);
        else p.pending.push(event);
        continue;
      }
      if (event.seq <= p.lastSeq) continue;
      p.lastSeq = event.seq;
      if (event.audience === 'moderators' && !p.moderator) continue;
      frame ??= Buffer.from(wireEvent(event));
      sendTo(room, p, frame);
    }
  }

  /**
   * Delivers every event after what this room has delivered, up to at least `seq`: straight from
   * `known` when they follow on (events this process just committed), otherwise fetched in order.
   */
  function catchUp(room: Room, seq: number, known: LiveEvent[] = []): void {
    if (seq <= room.lastSeq) return;
    room.chain = room.chain
      .then(async () => {
        for (const e of known) {
          if (e.seq !== room.lastSeq + 1) break;
          deliver(room, e);
          room.lastSeq = e.seq;
        }
        while (room.lastSeq < seq) {
          const events = await deps.eventsAfter(room.meetingId, room.lastSeq, FETCH_BATCH);
          if (events.length === 0) break;
          for (const e of events) {
            deliver(room, e);
            room.lastSeq = e.seq;
          }
        }
      })
      .catch(deps.onError);
  }

  function schedulePresence(room: Room): void {
    if (room.presenceTimer) return;
    room.presenceTimer = setTimeout(() => {
      room.presenceTimer = null;
      deps.publishPresence(room.meetingId, room.participants.size).catch(deps.onError);
      // An empty room is forgotten once its last presence count has gone out.
      if (room.participants.size === 0 && rooms.get(room.meetingId) === room) rooms.delete(room.meetingId);
    }, deps.presenceDebounceMs ?? 200);
    room.presenceTimer.unref();
  }

  async function openRoom(meetingId: string): Promise<Room> {
    const lastSeq = await deps.currentSeq(meetingId);
    const room: Room = { meetingId, lastSeq, participants: new Set(), presence: 0, chain: Promise.resolve(), presenceTimer: null };
    rooms.set(meetingId, room);
    return room;
  }

  // Rows of a process that keeps running are refreshed, so that only a vanished process's count expires.
  const refresh = setInterval(() => {
    for (const room of rooms.values()) deps.publishPresence(room.meetingId, room.participants.size).catch(deps.onError);
  }, 60_000);
  refresh.unref();

  return {
    /** Adds a participant whose `pending` buffer collects events until `ready` is called. */
    async join(meetingId: string, p: Participant): Promise<void> {
      let room = rooms.get(meetingId);
      if (!room) {
        let opening = starting.get(meetingId);
        if (!opening) {
          opening = openRoom(meetingId).finally(() => starting.delete(meetingId));
          starting.set(meetingId, opening);
        }
        room = await opening;
      }
      room.participants.add(p);
      schedulePresence(room);
    },
    /** The snapshot (or catch-up) is out: from here the participant gets events live. */
    ready(meetingId: string, p: Participant): void {
      const room = rooms.get(meetingId);
      const waiting = p.pending ?? [];
      p.pending = null;
      if (!room || !room.participants.has(p)) return;
      for (const e of waiting) {
        if (e.seq <= p.lastSeq) continue;
        p.lastSeq = e.seq;
        if (e.audience === 'moderators' && !p.moderator) continue;
        sendTo(room, p, Buffer.from(wireEvent(e)));
      }
    },
    leave(meetingId: string, p: Participant): void {
      const room = rooms.get(meetingId);
      if (!room || !room.participants.delete(p)) return;
      schedulePresence(room);
    },
    /** A room event was committed, here or in another process. */
    heard(meetingId: string, seq: number): void {
      const room = rooms.get(meetingId);
      if (room) catchUp(room, seq);
    },
    /** Events this process has just committed: no need to read them back from the database. */
    committed(meetingId: string, events: LiveEvent[]): void {
      const room = rooms.get(meetingId);
      const last = events.at(-1);
      if (room && last) catchUp(room, last.seq, events);
    },
    /** After a lost listener connection, events may have been missed: fetch whatever is new in every room. */
    resync(): void {
      for (const room of rooms.values()) catchUp(room, Number.MAX_SAFE_INTEGER);
    },
    presence(meetingId: string, count: number): void {
      const room = rooms.get(meetingId);
      if (!room) return;
      room.presence = count;
      const frame = Buffer.from(JSON.stringify({ type: 'presence', seq: room.lastSeq, count }));
      for (const p of room.participants) if (!p.pending) sendTo(room, p, frame);
    },
    presenceOf(meetingId: string): number {
      return rooms.get(meetingId)?.presence ?? 0;
    },
    /** Resolves once every event already heard has been handed to the sockets. */
    async idle(meetingId: string): Promise<void> {
      await rooms.get(meetingId)?.chain;
    },
    close(): void {
      clearInterval(refresh);
      for (const room of rooms.values()) if (room.presenceTimer) clearTimeout(room.presenceTimer);
      rooms.clear();
    },
  };
}
export type LiveHub = ReturnType<typeof liveHub>;
