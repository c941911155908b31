import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@timeshift/shared/clock';
import type { MailKind } from '@timeshift/shared/db/schema';
import { startTestApp, type TestApp } from '../support/app.ts';
import { errorOf } from '../support/http.ts';
import { createOrg, type Org } from '../support/people.ts';

const HOUR = 3600_000;

describe('meetings: windows, audiences, changes', () => {
  const clock = new ManualClock(new Date());
  let t: TestApp;
  let org: Org;
  let other: Org;
  const iso = (offsetMs: number) => new Date(clock.now().getTime() + offsetMs).toISOString();
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, cookie: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });
  const outboxFor = async (meetingId: string, kind: MailKind) =>
    (await t.db.selectFrom('mail_outbox').select(['to_email']).where('kind', '=', kind).where(sql<boolean>`payload->>'meetingId' = ${meetingId}`).execute()).map((r) => r.to_email).sort();
  const noticeJobs = async (meetingId: string) =>
    (await sql<{ key: string; run_at: Date }>`select key, run_at from graphile_worker.jobs where key like ${'meeting_notice:%:' + meetingId} order by key`.execute(t.db)).rows;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    org = await createOrg(t.app, t.db);
    other = await createOrg(t.app, t.db);
  });
  afterAll(async () => t?.close());

  it('refuses a window that closes before it opens, a Q&A before the close and times without a zone, creating nothing', async () => {
    const count = async () => (await call('GET', '/meetings', org.facilitator.cookie)).json().meetings.length;
    const before = await count();
    const base = { title: 'Bad times' };
    expect(errorOf(await call('POST', '/meetings', org.facilitator.cookie, { ...base, windowOpensAt: iso(2 * HOUR), windowClosesAt: iso(HOUR) }))).toEqual({ status: 400, code: 'INVALID_WINDOW' });
    expect(errorOf(await call('POST', '/meetings', org.facilitator.cookie, { ...base, windowOpensAt: iso(HOUR), windowClosesAt: iso(HOUR) }))).toEqual({ status: 400, code: 'INVALID_WINDOW' });
    expect(errorOf(await call('POST', '/meetings', org.facilitator.cookie, { ...base, windowOpensAt: iso(HOUR), windowClosesAt: iso(3 * HOUR), qaStartsAt: iso(2 * HOUR) }))).toEqual({ status: 400, code: 'INVALID_QA_TIME' });
    expect(errorOf(await call('POST', '/meetings', org.facilitator.cookie, { ...base, windowOpensAt: '2030-03-02T09:00:00', windowClosesAt: '2030-03-05T15:00:00Z' }))).toEqual({ status: 400, code: 'MISSING_TIME_ZONE' });
    expect(errorOf(await call('POST', '/meetings', org.facilitator.cookie, { ...base, windowOpensAt: 'Monday 9am', windowClosesAt: '2030-03-05T15:00:00Z' }))).toEqual({ status: 400, code: 'INVALID_TIMESTAMP' });
    expect(await count()).toBe(before);
  });

  it('extends the window and moves the Q&A, tells the audience, and moves the reminders with it', async () => {
    const created = await call('POST', '/meetings', org.facilitator.cookie, { title: 'All-hands', windowOpensAt: iso(-HOUR), windowClosesAt: iso(48 * HOUR), qaJoinUrl: 'https://meet.example.test/allhands' });
    expect(created.statusCode).toBe(201);
    const m = created.json();
    expect(m.qaStartsAt).toBe(m.windowClosesAt);
    expect(m.phase).toBe('open');
    // Published on creation: the whole org is the audience and each person has an invitation waiting.
    expect(await outboxFor(m.id, 'meeting_published')).toEqual([org.admin, org.facilitator, org.speaker, org.otherSpeaker, org.member].map((p) => p.email).sort());
    const jobs = await noticeJobs(m.id);
    expect(jobs.map((j) => [j.key.split(':')[1], j.run_at.toISOString()])).toEqual([
      ['qa_soon', new Date(Date.parse(m.qaStartsAt) - 15 * 60_000).toISOString()],
      ['reminder_24h', new Date(Date.parse(m.windowClosesAt) - 24 * HOUR).toISOString()],
    ]);

    const newClose = iso(72 * HOUR);
    const updated = await call('PATCH', `/meetings/${m.id}`, org.facilitator.cookie, { windowClosesAt: newClose });
    expect(updated.statusCode).toBe(200);
    // A Q&A that followed the close keeps following it.
    expect(updated.json()).toMatchObject({ windowClosesAt: newClose, qaStartsAt: newClose, phase: 'open' });
    expect((await outboxFor(m.id, 'meeting_changed')).length).toBe(5);
    expect((await noticeJobs(m.id)).find((j) => j.key.includes('reminder_24h'))!.run_at.toISOString()).toBe(new Date(Date.parse(newClose) - 24 * HOUR).toISOString());

    const moved = await call('PATCH', `/meetings/${m.id}`, org.admin.cookie, { qaStartsAt: iso(73 * HOUR), qaDurationMinutes: 30 });
    expect(moved.json()).toMatchObject({ qaStartsAt: iso(73 * HOUR), qaDurationMinutes: 30 });
    expect((await outboxFor(m.id, 'meeting_changed')).length).toBe(10);
    // A change that does not touch times notifies nobody.
    await call('PATCH', `/meetings/${m.id}`, org.admin.cookie, { title: 'All-hands (Q3)' });
    expect((await outboxFor(m.id, 'meeting_changed')).length).toBe(10);
  });

  it('refuses bad changes with clear codes and leaves the meeting as it was', async () => {
    const m = (await call('POST', '/meetings', org.facilitator.cookie, { title: 'Steady', windowOpensAt: iso(HOUR), windowClosesAt: iso(5 * HOUR) })).json();
    const patch = (body: object) => call('PATCH', `/meetings/${m.id}`, org.facilitator.cookie, body);
    expect(errorOf(await patch({ windowClosesAt: iso(0) }))).toEqual({ status: 400, code: 'INVALID_WINDOW' });
    expect(errorOf(await patch({ qaStartsAt: iso(4 * HOUR) }))).toEqual({ status: 400, code: 'INVALID_QA_TIME' });
    expect(errorOf(await patch({ windowClosesAt: '2030-01-01T10:00' }))).toEqual({ status: 400, code: 'MISSING_TIME_ZONE' });
    expect(errorOf(await patch({}))).toEqual({ status: 400, code: 'INVALID_INPUT' });
    expect(errorOf(await patch({ audienceGroupIds: [other.id] }))).toEqual({ status: 400, code: 'UNKNOWN_GROUP' });
    const now = (await call('GET', `/meetings/${m.id}`, org.facilitator.cookie)).json();
    expect(now).toMatchObject({ windowOpensAt: m.windowOpensAt, windowClosesAt: m.windowClosesAt, qaStartsAt: m.qaStartsAt, audience: 'org' });
    expect(await outboxFor(m.id, 'meeting_changed')).toEqual([]);
  });

  it('shows a group meeting only to its groups, and a draft to nobody in the audience until it is published', async () => {
    const sales = (await call('POST', '/groups', org.admin.cookie, { name: 'Sales' })).json();
    expect(errorOf(await call('POST', '/groups', org.admin.cookie, { name: 'sales' }))).toEqual({ status: 409, code: 'GROUP_EXISTS' });
    await call('PUT', `/groups/${sales.id}/members/${org.otherSpeaker.id}`, org.admin.cookie);
    const foreignGroup = (await call('POST', '/groups', other.admin.cookie, { name: 'Sales' })).json();
    expect(errorOf(await call('POST', '/meetings', org.facilitator.cookie, { title: 'X', windowOpensAt: iso(HOUR), windowClosesAt: iso(2 * HOUR), audienceGroupIds: [foreignGroup.id] }))).toEqual({
      status: 400,
      code: 'UNKNOWN_GROUP',
    });

    const draft = (await call('POST', '/meetings', org.facilitator.cookie, { title: 'Sales kickoff', windowOpensAt: iso(-HOUR), windowClosesAt: iso(30 * HOUR), audienceGroupIds: [sales.id], draft: true })).json();
    expect(draft).toMatchObject({ audience: 'groups', audienceGroupIds: [sales.id] });
    expect(draft.publishedAt).toBeUndefined();
    const sees = async (cookie: string) => (await call('GET', `/meetings/${draft.id}`, cookie)).statusCode;
    expect(await sees(org.member.cookie)).toBe(404);
    expect(await sees(org.speaker.cookie)).toBe(200);
    expect(await outboxFor(draft.id, 'meeting_published')).toEqual([]);
    expect(await noticeJobs(draft.id)).toEqual([]);

    expect((await call('POST', `/meetings/${draft.id}/publish`, org.facilitator.cookie)).statusCode).toBe(200);
    await call('POST', `/meetings/${draft.id}/publish`, org.facilitator.cookie);
    expect(await outboxFor(draft.id, 'meeting_published')).toEqual([org.otherSpeaker.email]);
    expect(await sees(org.member.cookie)).toBe(404);
    const listed = async (cookie: string) => (await call('GET', '/meetings', cookie)).json().meetings.some((x: { id: string }) => x.id === draft.id);
    expect(await listed(org.member.cookie)).toBe(false);

    // Widening the audience to the whole org shows it to everyone and invites only the newcomers.
    const widened = await call('PATCH', `/meetings/${draft.id}`, org.facilitator.cookie, { audienceGroupIds: null });
    expect(widened.json()).toMatchObject({ audience: 'org', audienceGroupIds: [] });
    expect(await sees(org.member.cookie)).toBe(200);
    expect(await listed(org.member.cookie)).toBe(true);
    expect((await outboxFor(draft.id, 'meeting_published')).length).toBe(5);
    expect(await listed(other.admin.cookie)).toBe(false);
  });
});
