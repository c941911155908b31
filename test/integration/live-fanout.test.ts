import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@timeshift/shared/clock';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createOrg, type Org } from '../support/people.ts';
import { addMembers, connectLive, createMeeting, liveUrl, type LiveClient } from '../support/qa.ts';

// Two API processes' worth of app, each with its own pool and its own LISTEN connection, on one database.
let a: TestApp;
let b: TestApp;
let org: Org;
const bases: string[] = [];
const clock = new ManualClock(new Date());
const clients: LiveClient[] = [];

beforeAll(async () => {
  [a, b] = await Promise.all([startTestApp({ clock }), startTestApp({ clock })]);
  for (const t of [a, b]) {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    bases.push(`http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`);
  }
  org = await createOrg(a.app, a.db);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all([a?.close(), b?.close()]);
});

async function join(base: string, meetingId: string, cookie: string) {
  const c = await connectLive(liveUrl(base, meetingId), cookie, base);
  clients.push(c);
  await c.next((m) => m.type === 'snapshot');
  return c;
}

/** What a client saw, as comparable lines: sequence number, type and subject. */
function timeline(c: LiveClient, fromSeq: number) {
  return c.messages.filter((m) => m.type !== 'snapshot' && m.type !== 'presence' && m.seq > fromSeq).map((m) => `${m.seq} ${m.type} ${m.question?.id ?? m.questionId ?? ''} ${m.votes ?? ''}`);
}

describe('two API processes serving one room', () => {
  it('give every client the same events in the same order, whichever process took the write', async () => {
    const meeting = await createMeeting(a.app, org.facilitator.cookie, clock);
    const people = await addMembers(a.db, org.id, 20, clock.now());
    const watchers = await Promise.all([
      join(bases[0]!, meeting.id, org.member.cookie),
      join(bases[0]!, meeting.id, org.facilitator.cookie),
      join(bases[1]!, meeting.id, org.speaker.cookie),
      join(bases[1]!, meeting.id, people[0]!.cookie),
    ]);
    const startSeq = watchers[0]!.messages[0]!.seq as number;

    // Questions asked through both processes at once, then votes on them through both at once.
    const asked = await Promise.all(
      people.slice(0, 6).map((p, i) => (i % 2 ? b : a).app.inject({ method: 'POST', url: `/api/v1/meetings/${meeting.id}/questions`, headers: { cookie: p.cookie }, payload: { text: `Question ${i}` } })),
    );
    const ids = asked.map((r) => r.json().id as string);
    const votes = await Promise.all(
      people.flatMap((p, i) => ids.slice(0, 3).map((id, j) => ((i + j) % 2 ? b : a).app.inject({ method: 'POST', url: `/api/v1/questions/${id}/vote`, headers: { cookie: p.cookie } }))),
    );
    expect(votes.every((r) => r.statusCode === 200)).toBe(true);
    const total = ids.length + 3 * people.length;

    for (const w of watchers) await w.next((m) => m.seq === startSeq + total && m.type !== 'presence', 15_000);
    const reference = timeline(watchers[0]!, startSeq);
    expect(reference).toHaveLength(total);
    expect(reference.map((line) => Number(line.split(' ')[0]))).toEqual(Array.from({ length: total }, (_, i) => startSeq + 1 + i));
    for (const w of watchers.slice(1)) expect(timeline(w, startSeq)).toEqual(reference);
    // The last vote event of each question carries its final count.
    for (const id of ids.slice(0, 3)) expect(reference.filter((l) => l.includes(`vote ${id}`)).at(-1)!.split(' ').at(-1)).toBe(String(people.length));
  });

  it('count presence across both processes', async () => {
    const meeting = await createMeeting(a.app, org.facilitator.cookie, clock);
    const onA = await join(bases[0]!, meeting.id, org.member.cookie);
    await join(bases[1]!, meeting.id, org.speaker.cookie);
    await join(bases[1]!, meeting.id, org.admin.cookie);
    await onA.next((m) => m.type === 'presence' && m.count === 3, 5000);
  });

  it('catch up after a process loses its LISTEN connection', async () => {
    const meeting = await createMeeting(a.app, org.facilitator.cookie, clock);
    const onB = await join(bases[1]!, meeting.id, org.member.cookie);
    // Cut every listening connection; each process reconnects and fetches what it missed.
    const cut = await sql`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'LISTEN timeshift_live%' and pid <> pg_backend_pid()`.execute(a.db);
    expect(cut.rows.length).toBeGreaterThanOrEqual(2);
    const q = await a.app.inject({ method: 'POST', url: `/api/v1/meetings/${meeting.id}/questions`, headers: { cookie: org.speaker.cookie }, payload: { text: 'Asked while B was deaf' } });
    expect(q.statusCode).toBe(201);
    expect(await onB.next((m) => m.type === 'question', 10_000)).toMatchObject({ question: { id: q.json().id } });
  });
});
