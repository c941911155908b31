import { describe, expect, it } from 'vitest';
import { parseNotice, pgLiveListener } from '../../server/src/adapters/realtime.ts';
import type { LiveEvent } from '../../server/src/repositories/live.ts';
import { CLOSE_TOO_SLOW, liveHub, type LiveSocket, type Participant } from '../../server/src/services/live-hub.ts';
import { isAllowedOrigin } from '../../server/src/services/live-origin.ts';
import { parseCommand } from '../../server/src/services/live-protocol.ts';

const QID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';

describe('room commands', () => {
  it('accepts the known commands', () => {
    expect(parseCommand('{"type":"ping"}')).toEqual({ command: { type: 'ping' } });
    expect(parseCommand(JSON.stringify({ type: 'vote', questionId: QID }))).toEqual({ command: { type: 'vote', questionId: QID } });
    expect(parseCommand(JSON.stringify({ type: 'set_status', questionId: QID, status: 'answered' }))).toEqual({ command: { type: 'set_status', questionId: QID, status: 'answered' } });
    expect(parseCommand(JSON.stringify({ type: 'ask', text: 'Hi', anonymous: true }))).toEqual({ command: { type: 'ask', text: 'Hi', anonymous: true, talkId: undefined, atSec: undefined } });
  });

  it.each([
    ['not json', '{oops'],
    ['an array', '[]'],
    ['null', 'null'],
    ['an unknown type', '{"type":"drop_table"}'],
    ['a vote without an id', '{"type":"vote"}'],
    ['a vote with a non-uuid id', '{"type":"vote","questionId":"1 or 1=1"}'],
    ['an unknown status', `{"type":"set_status","questionId":"${QID}","status":"deleted"}`],
    ['a pin without a boolean', `{"type":"pin","questionId":"${QID}","pinned":"yes"}`],
    ['a negative moment', '{"type":"ask","text":"x","atSec":-1}'],
  ])('refuses %s', (_what, frame) => {
    expect(parseCommand(frame)).toHaveProperty('error');
  });
});

describe('origin check', () => {
  it('accepts our own origin and clients without one, and refuses other sites', () => {
    expect(isAllowedOrigin('http://localhost:3000', 'localhost:3000')).toBe(true);
    expect(isAllowedOrigin(undefined, 'localhost:3000')).toBe(true);
    expect(isAllowedOrigin('https://evil.example', 'localhost:3000')).toBe(false);
    expect(isAllowedOrigin('null', 'localhost:3000')).toBe(false);
    expect(isAllowedOrigin('https://app.example.com', 'internal:3000', 'https://app.example.com')).toBe(true);
    expect(isAllowedOrigin('http://app.example.com', 'internal:3000', 'https://app.example.com')).toBe(false);
  });
});

describe('notifications', () => {
  it('reads sequence and presence notices and ignores anything else', () => {
    expect(parseNotice('{"m":"abc","s":7}')).toEqual({ meetingId: 'abc', seq: 7 });
    expect(parseNotice('{"m":"abc","p":12}')).toEqual({ meetingId: 'abc', presence: 12 });
    expect(parseNotice('garbage')).toBeUndefined();
    expect(parseNotice('{"s":7}')).toBeUndefined();
  });
});

describe('the listener', () => {
  it('starts even when the database does not answer, reporting the error and retrying in the background', async () => {
    const seen: unknown[] = [];
    const listener = pgLiveListener('postgres://nobody@127.0.0.1:1/none', { onNotice: () => undefined, onResync: () => undefined, onError: (e) => seen.push(e) });
    await listener.start();
    expect(seen).toHaveLength(1);
    await listener.close();
  });
});

class FakeSocket implements LiveSocket {
  sent: string[] = [];
  closed: number | null = null;
  bufferedAmount = 0;
  send(data: Buffer, options: { binary: boolean }) {
    if (options.binary) throw new Error('room events must go out as text frames');
    this.sent.push(data.toString());
  }
  close(code: number) {
    this.closed = code;
  }
  get types() {
    return this.sent.map((s) => JSON.parse(s) as { type: string; seq: number }).filter((m) => m.type !== 'presence');
  }
}

function hubWith(events: LiveEvent[], options: { maxBufferedBytes?: number } = {}) {
  const presence: number[] = [];
  const hub = liveHub({
    eventsAfter: async (_m, after, limit) => events.filter((e) => e.seq > after).slice(0, limit),
    currentSeq: async () => 0,
    publishPresence: async (_m, count) => void presence.push(count),
    onError: (e) => {
      throw e;
    },
    presenceDebounceMs: 1,
    ...options,
  });
  return { hub, presence };
}

const event = (seq: number, audience: 'all' | 'moderators' = 'all'): LiveEvent => ({ seq, type: 'vote', audience, payload: { questionId: 'q', votes: seq } });
const participant = (moderator = false): Participant & { socket: FakeSocket } => ({ socket: new FakeSocket(), moderator, lastSeq: 0, pending: null });

describe('room delivery', () => {
  it('delivers events once each, in sequence order, however the notices arrive', async () => {
    const events = [event(1), event(2), event(3)];
    const { hub } = hubWith(events);
    const p = participant();
    p.pending = [];
    await hub.join('m', p);
    p.lastSeq = 0;
    hub.ready('m', p);
    hub.heard('m', 3);
    hub.heard('m', 1);
    hub.heard('m', 2);
    await hub.idle('m');
    expect(p.socket.types.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('keeps moderator-only events from everyone else while their sequence moves on', async () => {
    const { hub } = hubWith([event(1, 'moderators'), event(2)]);
    const member = participant();
    const facilitator = participant(true);
    await hub.join('m', member);
    await hub.join('m', facilitator);
    hub.heard('m', 2);
    await hub.idle('m');
    expect(member.socket.types.map((m) => m.seq)).toEqual([2]);
    expect(facilitator.socket.types.map((m) => m.seq)).toEqual([1, 2]);
    expect(member.lastSeq).toBe(2);
  });

  it('holds events back while a participant is joining, then sends only those after its snapshot', async () => {
    const { hub } = hubWith([event(1), event(2), event(3)]);
    const joining = participant();
    joining.pending = [];
    joining.lastSeq = Number.MAX_SAFE_INTEGER;
    await hub.join('m', joining);
    hub.heard('m', 3);
    await hub.idle('m');
    expect(joining.socket.sent).toEqual([]);
    joining.lastSeq = 2; // the snapshot was taken at seq 2
    hub.ready('m', joining);
    expect(joining.socket.types.map((m) => m.seq)).toEqual([3]);
  });

  it('drops a participant that does not read, instead of queueing for it without bound', async () => {
    const { hub } = hubWith([event(1), event(2)], { maxBufferedBytes: 1000 });
    const slow = participant();
    const fast = participant();
    await hub.join('m', slow);
    await hub.join('m', fast);
    slow.socket.bufferedAmount = 5000;
    hub.heard('m', 2);
    await hub.idle('m');
    expect(slow.socket.closed).toBe(CLOSE_TOO_SLOW);
    expect(slow.socket.sent).toEqual([]);
    expect(fast.socket.types.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('delivers events committed in this process without reading them back, and fetches any gap first', async () => {
    const stored = [event(1), event(2), event(3)];
    const fetched: number[] = [];
    const hub = liveHub({
      eventsAfter: async (_m, after) => {
        fetched.push(after);
        return stored.filter((e) => e.seq > after);
      },
      currentSeq: async () => 0,
      publishPresence: async () => undefined,
      onError: (e) => {
        throw e;
      },
    });
    const p = participant();
    await hub.join('m', p);
    hub.committed('m', [event(1)]);
    await hub.idle('m');
    expect(fetched).toEqual([]);
    // Seq 2 was committed by another process and its notice has not arrived yet.
    hub.committed('m', [event(3)]);
    await hub.idle('m');
    expect(fetched).toEqual([1]);
    expect(p.socket.types.map((m) => m.seq)).toEqual([1, 2, 3]);
    hub.close();
  });

  it('reports how many are in the room after joins and leaves settle', async () => {
    const { hub, presence } = hubWith([]);
    const a = participant();
    const b = participant();
    await hub.join('m', a);
    await hub.join('m', b);
    await new Promise((r) => setTimeout(r, 20));
    hub.leave('m', a);
    await new Promise((r) => setTimeout(r, 20));
    expect(presence).toEqual([2, 1]);
    hub.close();
  });
});
