import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@timeshift/shared/clock';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createOrg, type Org } from '../support/people.ts';
import { connectLive, createMeeting, HOUR, liveUrl, type LiveClient } from '../support/qa.ts';

let t: TestApp;
let org: Org;
let base: string;
const clock = new ManualClock(new Date());
const clients: LiveClient[] = [];

beforeAll(async () => {
  t = await startTestApp({ clock });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  org = await createOrg(t.app, t.db);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await t?.close();
});

async function join(meetingId: string, cookie: string, since?: number) {
  const c = await connectLive(liveUrl(base, meetingId, since), cookie, base);
  clients.push(c);
  return c;
}
const ofType = (type: string, extra: (m: Record<string, any>) => boolean = () => true) => (m: Record<string, any>) => m.type === type && extra(m);

function http(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, cookie: string, payload?: Record<string, unknown>) {
  return t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });
}

describe('the live room', () => {
  it('sends a snapshot first, then numbered events for questions, votes, status, the current question and the timer', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const early = (await http('POST', `/meetings/${meeting.id}/questions`, org.speaker.cookie, { text: 'Asked before anyone joined' })).json();
    const member = await join(meeting.id, org.member.cookie);
    const snapshot = member.messages[0] ?? (await member.next(() => true));
    expect(snapshot).toMatchObject({
      type: 'snapshot',
      meeting: { id: meeting.id, phase: 'open', qaJoinUrl: 'https://meet.example.test/all-hands', currentQuestionId: null },
      questions: [expect.objectContaining({ id: early.id, votes: 0, votedByMe: false })],
      you: { moderator: false },
    });

    const q = (await http('POST', `/meetings/${meeting.id}/questions`, org.speaker.cookie, { text: 'What about pensions?' })).json();
    await http('POST', `/questions/${q.id}/vote`, org.admin.cookie);
    await http('PATCH', `/questions/${q.id}`, org.facilitator.cookie, { status: 'answering' });
    await http('POST', `/meetings/${meeting.id}/live/extend`, org.facilitator.cookie);
    await member.next(ofType('timer'));

    const events = member.messages.filter((m) => !['snapshot', 'presence'].includes(m.type));
    expect(events.map((e) => e.type)).toEqual(['question', 'vote', 'status', 'current', 'timer']);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5].map((n) => snapshot.seq + n));
    expect(events[0]).toMatchObject({ question: { id: q.id, text: 'What about pensions?', votes: 0 } });
    expect(events[1]).toMatchObject({ questionId: q.id, votes: 1 });
    expect(events[2]).toMatchObject({ questionId: q.id, status: 'answering' });
    expect(events[3]).toMatchObject({ questionId: q.id });
    expect(events[4]!.qaEndsAt).toBe(new Date(new Date(meeting.qaStartsAt).getTime() + 25 * 60_000).toISOString());
  });

  it('never names the author of an anonymous question in any event or snapshot, to anyone', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const watchers = await Promise.all([org.member, org.facilitator, org.admin].map((p) => join(meeting.id, p.cookie)));
    const q = (await http('POST', `/meetings/${meeting.id}/questions`, org.speaker.cookie, { text: 'Is my team safe?', anonymous: true })).json();
    await http('POST', `/questions/${q.id}/vote`, org.member.cookie);
    await http('PATCH', `/questions/${q.id}`, org.facilitator.cookie, { pinned: true });
    await http('PATCH', `/questions/${q.id}`, org.facilitator.cookie, { status: 'answering' });
    await http('PATCH', `/questions/${q.id}`, org.speaker.cookie, { text: 'Is my team safe next year?' });
    for (const w of watchers) await w.next(ofType('status'));
    const late = await join(meeting.id, org.facilitator.cookie);
    await late.next(ofType('snapshot'));
    for (const w of [...watchers, late]) {
      const raw = JSON.stringify(w.messages);
      expect(raw).toContain(q.id);
      expect(raw).not.toContain(org.speaker.id);
      expect(raw).not.toContain(`speaker ${org.speaker.email.slice('speaker-'.length, org.speaker.email.indexOf('@'))}`);
      expect(raw).not.toMatch(/"author"/);
    }
  });

  it('shows questions waiting for approval to moderators only, until approved', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    await http('PUT', `/meetings/${meeting.id}/moderation`, org.facilitator.cookie, { requireApproval: true });
    const member = await join(meeting.id, org.member.cookie);
    const facilitator = await join(meeting.id, org.facilitator.cookie);
    const q = (await http('POST', `/meetings/${meeting.id}/questions`, org.speaker.cookie, { text: 'Needs a look first' })).json();
    await facilitator.next(ofType('question', (m) => m.question.id === q.id));
    await http('PATCH', `/questions/${q.id}`, org.facilitator.cookie, { status: 'approved' });
    const approved = await member.next(ofType('status', (m) => m.questionId === q.id));
    expect(approved.question).toMatchObject({ text: 'Needs a look first', status: 'approved' });
    expect(member.messages.some((m) => m.type === 'question' && m.question.id === q.id)).toBe(false);
  });

  it('lets a reconnecting client catch up from its last seq, or gives it a new snapshot', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const first = await join(meeting.id, org.member.cookie);
    const snap = await first.next(ofType('snapshot'));
    first.close();
    await first.closed;
    const q = (await http('POST', `/meetings/${meeting.id}/questions`, org.speaker.cookie, { text: 'While you were away' })).json();
    await http('POST', `/questions/${q.id}/vote`, org.admin.cookie);

    const back = await join(meeting.id, org.member.cookie, snap.seq);
    const vote = await back.next(ofType('vote'));
    expect(back.messages[0]).toMatchObject({ type: 'catch_up', seq: snap.seq, missed: 2 });
    expect(back.messages.filter((m) => m.type === 'question' || m.type === 'vote').map((m) => m.seq)).toEqual([snap.seq + 1, snap.seq + 2]);
    expect(vote.votes).toBe(1);
    expect(back.messages.some((m) => m.type === 'snapshot')).toBe(false);

    // A seq from the future (another meeting, a stale tab) cannot be trusted: start again from a snapshot.
    const confused = await join(meeting.id, org.member.cookie, snap.seq + 1000);
    expect(await confused.next(ofType('snapshot'))).toMatchObject({ seq: snap.seq + 2, questions: [expect.objectContaining({ id: q.id, votes: 1 })] });
  });

  it('counts who is in the room', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const a = await join(meeting.id, org.member.cookie);
    await a.next(ofType('presence', (m) => m.count === 1));
    const b = await join(meeting.id, org.speaker.cookie);
    await a.next(ofType('presence', (m) => m.count === 2));
    await b.next(ofType('presence', (m) => m.count === 2));
    b.close();
    a.messages.length = 0;
    await a.next(ofType('presence', (m) => m.count === 1));
  });

  it('lets the facilitator run the room over the socket', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const q = (await http('POST', `/meetings/${meeting.id}/questions`, org.member.cookie, { text: 'Next steps?' })).json();
    const facilitator = await join(meeting.id, org.facilitator.cookie);
    await facilitator.next(ofType('snapshot'));
    facilitator.send({ type: 'set_status', questionId: q.id, status: 'answering' });
    expect(await facilitator.next(ofType('current'))).toMatchObject({ questionId: q.id });
    facilitator.send({ type: 'extend_timer' });
    await facilitator.next(ofType('timer'));
    // A refused command is an answer, not a dropped connection.
    facilitator.send({ type: 'vote', questionId: '00000000-0000-4000-8000-000000000000' });
    expect(await facilitator.next(ofType('error'))).toMatchObject({ code: 'NOT_FOUND', for: 'vote' });
    facilitator.send({ type: 'ping' });
    await facilitator.next(ofType('pong'));
  });
});

describe('the live room refuses', () => {
  it('an upgrade without a session, or from another origin', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    await expect(connectLive(liveUrl(base, meeting.id), '', base)).rejects.toMatchObject({ statusCode: 401 });
    await expect(connectLive(liveUrl(base, meeting.id), 'ts_session=forged', base)).rejects.toMatchObject({ statusCode: 401 });
    await expect(connectLive(liveUrl(base, meeting.id), org.member.cookie, 'https://evil.example')).rejects.toMatchObject({ statusCode: 403 });
    const stranger = await createOrg(t.app, t.db);
    await expect(connectLive(liveUrl(base, meeting.id), stranger.admin.cookie, base)).rejects.toMatchObject({ statusCode: 404 });
    await expect(connectLive(liveUrl(base, 'not-a-uuid'), org.member.cookie, base)).rejects.toMatchObject({ statusCode: 400 });
  });

  it('facilitator commands from an employee, with a policy close', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const q = (await http('POST', `/meetings/${meeting.id}/questions`, org.member.cookie, { text: 'Hide me?' })).json();
    for (const command of [{ type: 'set_status', questionId: q.id, status: 'hidden' }, { type: 'pin', questionId: q.id, pinned: true }, { type: 'extend_timer' }]) {
      const member = await join(meeting.id, org.member.cookie);
      await member.next(ofType('snapshot'));
      member.send(command);
      expect((await member.closed).code).toBe(1008);
    }
    const [listed] = (await t.app.inject({ method: 'GET', url: `/api/v1/meetings/${meeting.id}/questions`, headers: { cookie: org.member.cookie } })).json().questions;
    expect(listed).toMatchObject({ status: 'approved', pinned: false });
  });

  it('malformed and oversized frames, and keeps serving everyone else', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const bystander = await join(meeting.id, org.speaker.cookie);
    await bystander.next(ofType('snapshot'));
    const cases: [unknown, number][] = [
      ['{not json', 1008],
      ['[1,2,3]', 1008],
      [{ type: 'launch_missiles' }, 1008],
      [{ type: 'vote', questionId: 42 }, 1008],
      [{ type: 'ask', text: 'x'.repeat(5000) }, 1009],
    ];
    for (const [frame, code] of cases) {
      const c = await join(meeting.id, org.member.cookie);
      await c.next(ofType('snapshot'));
      c.send(frame);
      expect((await c.closed).code).toBe(code);
    }
    const binary = await join(meeting.id, org.member.cookie);
    await binary.next(ofType('snapshot'));
    binary.socket.send(Buffer.from([1, 2, 3]));
    expect((await binary.closed).code).toBe(1008);

    await http('POST', `/meetings/${meeting.id}/questions`, org.member.cookie, { text: 'Still working?' });
    await bystander.next(ofType('question'));
    const fresh = await join(meeting.id, org.member.cookie);
    expect(await fresh.next(ofType('snapshot'))).toMatchObject({ questions: [expect.objectContaining({ text: 'Still working?' })] });
  });

  it('joining once the live Q&A is over is allowed, but asking is not', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock, HOUR);
    clock.advance(2 * HOUR);
    try {
      const c = await join(meeting.id, org.member.cookie);
      expect(await c.next(ofType('snapshot'))).toMatchObject({ meeting: { phase: 'closed' } });
      c.send({ type: 'ask', text: 'Too late?' });
      expect(await c.next(ofType('error'))).toMatchObject({ code: 'QUESTIONS_CLOSED' });
    } finally {
      clock.advance(-2 * HOUR);
    }
  });
});
