import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@timeshift/shared/clock';
import { startTestApp, type TestApp } from '../support/app.ts';
import { errorOf } from '../support/http.ts';
import { createOrg, type Org } from '../support/people.ts';
import { addMembers, createMeeting, HOUR } from '../support/qa.ts';

let t: TestApp;
let org: Org;
const clock = new ManualClock(new Date());

beforeAll(async () => {
  t = await startTestApp({ clock });
  org = await createOrg(t.app, t.db);
});
afterAll(async () => t?.close());

function ask(cookie: string, meetingId: string, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: `/api/v1/meetings/${meetingId}/questions`, headers: { cookie }, payload });
}
async function list(cookie: string, meetingId: string, sort = 'top') {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/meetings/${meetingId}/questions?sort=${sort}`, headers: { cookie } });
  expect(res.statusCode).toBe(200);
  return res.json().questions as Record<string, any>[];
}
const vote = (cookie: string, id: string, method: 'POST' | 'DELETE' = 'POST') => t.app.inject({ method, url: `/api/v1/questions/${id}/vote`, headers: { cookie } });
const patch = (cookie: string, id: string, payload: Record<string, unknown>) => t.app.inject({ method: 'PATCH', url: `/api/v1/questions/${id}`, headers: { cookie }, payload });

describe('asking questions', () => {
  it('names the author of an ordinary question and nobody as the author of an anonymous one, to every role', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const named = await ask(org.member.cookie, meeting.id, { text: 'Will the roadmap slip?' });
    expect(named.statusCode).toBe(201);
    expect(named.json().author).toEqual({ id: org.member.id, name: expect.any(String) });

    const hidden = await ask(org.member.cookie, meeting.id, { text: 'Who decided on the layoffs?', anonymous: true });
    expect(hidden.statusCode).toBe(201);
    expect(hidden.json()).not.toHaveProperty('author');
    expect(hidden.json().mine).toBe(true);

    for (const person of [org.member, org.speaker, org.facilitator, org.admin]) {
      const questions = await list(person.cookie, meeting.id);
      const anonymous = questions.find((q) => q.id === hidden.json().id)!;
      expect(anonymous).not.toHaveProperty('author');
      expect(JSON.stringify(anonymous)).not.toContain(org.member.id);
      expect(questions.find((q) => q.id === named.json().id)!.author.id).toBe(org.member.id);
    }
    // Moderation answers carry the same view.
    const approved = await patch(org.facilitator.cookie, hidden.json().id, { pinned: true });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).not.toHaveProperty('author');
  });

  it('pins a question to a moment of one of the meeting talks', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const talk = await t.app.inject({ method: 'POST', url: `/api/v1/meetings/${meeting.id}/talks`, headers: { cookie: org.speaker.cookie }, payload: { title: 'Q3 numbers' } });
    const res = await ask(org.member.cookie, meeting.id, { text: 'What does this chart show?', talkId: talk.json().id, atSec: 93.5 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ talkId: talk.json().id, atSec: 93.5 });

    const otherMeeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    expect(errorOf(await ask(org.member.cookie, otherMeeting.id, { text: 'Wrong meeting', talkId: talk.json().id }))).toEqual({ status: 400, code: 'UNKNOWN_TALK' });
    expect(errorOf(await ask(org.member.cookie, meeting.id, { text: 'No talk', atSec: 3 }))).toEqual({ status: 400, code: 'MOMENT_WITHOUT_TALK' });
  });

  it('refuses empty and over-long text and keeps 500 characters', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    expect(errorOf(await ask(org.member.cookie, meeting.id, { text: '' }))).toEqual({ status: 400, code: 'QUESTION_EMPTY' });
    expect(errorOf(await ask(org.member.cookie, meeting.id, { text: '   \n ' }))).toEqual({ status: 400, code: 'QUESTION_EMPTY' });
    expect(errorOf(await ask(org.member.cookie, meeting.id, { text: 'x'.repeat(501) }))).toEqual({ status: 400, code: 'QUESTION_TOO_LONG' });
    // Characters a person sees count, not UTF-16 units: 500 emoji fit.
    expect((await ask(org.member.cookie, meeting.id, { text: '🙂'.repeat(500) })).statusCode).toBe(201);
    const stored = await list(org.member.cookie, meeting.id);
    expect(stored).toHaveLength(1);
    // Text is kept as plain text, markup and all; escaping is the renderer's job.
    const markup = await ask(org.member.cookie, meeting.id, { text: '<script>alert(1)</script>' });
    expect(markup.json().text).toBe('<script>alert(1)</script>');
  });

  it('allows 20 questions per person per meeting, then answers 429', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const results = await Promise.all(Array.from({ length: 22 }, (_, i) => ask(org.speaker.cookie, meeting.id, { text: `Question ${i}` })));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(20);
    const refused = results.filter((r) => r.statusCode !== 201);
    expect(refused.map(errorOf)).toEqual([
      { status: 429, code: 'QUESTION_LIMIT_REACHED' },
      { status: 429, code: 'QUESTION_LIMIT_REACHED' },
    ]);
    // Someone else in the same meeting is not affected.
    expect((await ask(org.member.cookie, meeting.id, { text: 'Mine' })).statusCode).toBe(201);
  });

  it('does not let another organisation see, vote on or ask in a meeting', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const q = (await ask(org.member.cookie, meeting.id, { text: 'Internal only?' })).json();
    const stranger = await createOrg(t.app, t.db);
    expect(errorOf(await vote(stranger.member.cookie, q.id))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await ask(stranger.member.cookie, meeting.id, { text: 'Hello?' }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await t.app.inject({ method: 'GET', url: `/api/v1/meetings/${meeting.id}/questions`, headers: { cookie: stranger.admin.cookie } }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await patch(stranger.facilitator.cookie, q.id, { status: 'hidden' }))).toEqual({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('votes', () => {
  it('counts exactly one vote per person when 100 people vote twice each at once', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const q = (await ask(org.member.cookie, meeting.id, { text: 'Can we get more parking?' })).json();
    const people = await addMembers(t.db, org.id, 100, clock.now());
    const results = await Promise.all(people.flatMap((p) => [vote(p.cookie, q.id), vote(p.cookie, q.id)]));
    expect(results.filter((r) => r.statusCode !== 200).map((r) => `${r.statusCode} ${r.body}`)).toEqual([]);
    const [listed] = await list(org.member.cookie, meeting.id);
    expect(listed!.votes).toBe(100);
    const rows = await t.db.selectFrom('question_votes').select((eb) => eb.fn.countAll<string>().as('n')).where('question_id', '=', q.id).executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(100);
  });

  it('is idempotent both ways and shows votedByMe to the voter only', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const q = (await ask(org.member.cookie, meeting.id, { text: 'Remote days?' })).json();
    expect((await vote(org.speaker.cookie, q.id)).json()).toEqual({ id: q.id, votes: 1, votedByMe: true });
    expect((await vote(org.speaker.cookie, q.id)).json()).toEqual({ id: q.id, votes: 1, votedByMe: true });
    expect((await list(org.speaker.cookie, meeting.id))[0]).toMatchObject({ votes: 1, votedByMe: true });
    expect((await list(org.member.cookie, meeting.id))[0]).toMatchObject({ votes: 1, votedByMe: false });
    expect((await vote(org.speaker.cookie, q.id, 'DELETE')).json()).toEqual({ id: q.id, votes: 0, votedByMe: false });
    expect((await vote(org.speaker.cookie, q.id, 'DELETE')).json()).toEqual({ id: q.id, votes: 0, votedByMe: false });
  });

  it('sorts by votes then age for top, and newest first for new', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const a = (await ask(org.member.cookie, meeting.id, { text: 'A' })).json();
    const b = (await ask(org.member.cookie, meeting.id, { text: 'B' })).json();
    const c = (await ask(org.member.cookie, meeting.id, { text: 'C' })).json();
    await vote(org.speaker.cookie, c.id);
    await vote(org.admin.cookie, c.id);
    await vote(org.speaker.cookie, b.id);
    expect((await list(org.member.cookie, meeting.id, 'top')).map((q) => q.text)).toEqual(['C', 'B', 'A']);
    expect((await list(org.member.cookie, meeting.id, 'new')).map((q) => q.text)).toEqual(['C', 'B', 'A']);
    await vote(org.speaker.cookie, a.id);
    await vote(org.admin.cookie, a.id);
    await vote(org.facilitator.cookie, a.id);
    expect((await list(org.member.cookie, meeting.id, 'top')).map((q) => q.text)).toEqual(['A', 'C', 'B']);
    // A pinned question leads either list.
    await patch(org.facilitator.cookie, b.id, { pinned: true });
    expect((await list(org.member.cookie, meeting.id, 'top')).map((q) => q.text)).toEqual(['B', 'A', 'C']);
    expect(errorOf(await t.app.inject({ method: 'GET', url: `/api/v1/meetings/${meeting.id}/questions?sort=best`, headers: { cookie: org.member.cookie } }))).toEqual({ status: 400, code: 'INVALID_INPUT' });
  });
});

describe('moderation', () => {
  it('lets only facilitators and admins change status, pin or merge', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const q = (await ask(org.member.cookie, meeting.id, { text: 'Bonus?' })).json();
    const other = (await ask(org.speaker.cookie, meeting.id, { text: 'Bonuses?' })).json();
    for (const person of [org.member, org.speaker]) {
      expect(errorOf(await patch(person.cookie, q.id, { status: 'hidden' }))).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(errorOf(await patch(person.cookie, q.id, { pinned: true }))).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(errorOf(await t.app.inject({ method: 'POST', url: `/api/v1/questions/${q.id}/merge`, headers: { cookie: person.cookie }, payload: { into: other.id } }))).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(errorOf(await t.app.inject({ method: 'PUT', url: `/api/v1/meetings/${meeting.id}/moderation`, headers: { cookie: person.cookie }, payload: { requireApproval: true } }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    expect(errorOf(await patch(org.facilitator.cookie, q.id, { status: 'shelved' }))).toEqual({ status: 400, code: 'INVALID_INPUT' });
    expect((await patch(org.admin.cookie, q.id, { status: 'answered' })).json().status).toBe('answered');
  });

  it('holds questions for approval when the meeting asks for it', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const set = await t.app.inject({ method: 'PUT', url: `/api/v1/meetings/${meeting.id}/moderation`, headers: { cookie: org.facilitator.cookie }, payload: { requireApproval: true } });
    expect(set.json()).toEqual({ requireApproval: true });
    const q = (await ask(org.member.cookie, meeting.id, { text: 'Awkward question' })).json();
    expect(q.status).toBe('pending');
    expect((await list(org.member.cookie, meeting.id)).map((x) => x.id)).toEqual([q.id]);
    expect(await list(org.speaker.cookie, meeting.id)).toEqual([]);
    expect((await list(org.facilitator.cookie, meeting.id)).map((x) => x.id)).toEqual([q.id]);
    // Someone who cannot see it cannot vote on it either, nor learn that it exists.
    expect(errorOf(await vote(org.speaker.cookie, q.id))).toEqual({ status: 404, code: 'NOT_FOUND' });

    await patch(org.facilitator.cookie, q.id, { status: 'approved' });
    expect((await list(org.speaker.cookie, meeting.id)).map((x) => x.id)).toEqual([q.id]);
    expect((await vote(org.speaker.cookie, q.id)).statusCode).toBe(200);
  });

  it('hides a question from the audience and refuses votes on it', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const q = (await ask(org.member.cookie, meeting.id, { text: 'Off-topic rant' })).json();
    await patch(org.facilitator.cookie, q.id, { status: 'hidden' });
    expect(await list(org.speaker.cookie, meeting.id)).toEqual([]);
    expect(await list(org.member.cookie, meeting.id)).toEqual([]);
    expect((await list(org.facilitator.cookie, meeting.id))[0]!.status).toBe('hidden');
    expect(errorOf(await vote(org.speaker.cookie, q.id))).toEqual({ status: 409, code: 'QUESTION_NOT_VOTABLE' });
  });

  it('merges duplicates, combining votes and counting each voter once', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const keep = (await ask(org.member.cookie, meeting.id, { text: 'When is the offsite?' })).json();
    const dupe = (await ask(org.speaker.cookie, meeting.id, { text: 'Offsite date?' })).json();
    const [p1, p2, p3] = await addMembers(t.db, org.id, 3, clock.now());
    await vote(p1!.cookie, keep.id);
    await vote(p2!.cookie, keep.id);
    await vote(p2!.cookie, dupe.id);
    await vote(p3!.cookie, dupe.id);
    const merged = await t.app.inject({ method: 'POST', url: `/api/v1/questions/${dupe.id}/merge`, headers: { cookie: org.facilitator.cookie }, payload: { into: keep.id } });
    expect(merged.statusCode).toBe(200);
    expect(merged.json()).toMatchObject({ id: keep.id, votes: 3 });
    const listed = await list(p3!.cookie, meeting.id);
    expect(listed).toEqual([expect.objectContaining({ id: keep.id, votes: 3, votedByMe: true })]);
    expect(errorOf(await vote(p1!.cookie, dupe.id))).toEqual({ status: 409, code: 'QUESTION_MERGED' });
    expect(errorOf(await t.app.inject({ method: 'POST', url: `/api/v1/questions/${keep.id}/merge`, headers: { cookie: org.facilitator.cookie }, payload: { into: keep.id } }))).toEqual({ status: 400, code: 'MERGE_INTO_ITSELF' });
  });
});

describe('phases', () => {
  it('opens questions with the window, keeps them through the Q&A, and locks edits when the Q&A starts', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock, 2 * HOUR);
    clock.advance(-2 * HOUR);
    try {
      expect(errorOf(await ask(org.member.cookie, meeting.id, { text: 'Too early' }))).toEqual({ status: 409, code: 'QUESTIONS_NOT_OPEN' });
    } finally {
      clock.advance(2 * HOUR);
    }

    const mine = (await ask(org.member.cookie, meeting.id, { text: 'Draft' })).json();
    expect((await patch(org.member.cookie, mine.id, { text: 'Better wording' })).json().text).toBe('Better wording');
    expect(errorOf(await patch(org.speaker.cookie, mine.id, { text: 'Not yours' }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    const doomed = (await ask(org.member.cookie, meeting.id, { text: 'Never mind' })).json();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/questions/${doomed.id}`, headers: { cookie: org.member.cookie } })).statusCode).toBe(204);

    const q = await createMeeting(t.app, org.facilitator.cookie, clock, 2 * HOUR);
    clock.advance(2 * HOUR + 60_000);
    try {
      // The window has closed and the live Q&A is on: asking and voting go on, editing stops.
      expect(errorOf(await patch(org.member.cookie, mine.id, { text: 'Too late' }))).toEqual({ status: 409, code: 'QUESTION_LOCKED' });
      expect(errorOf(await t.app.inject({ method: 'DELETE', url: `/api/v1/questions/${mine.id}`, headers: { cookie: org.member.cookie } }))).toEqual({ status: 409, code: 'QUESTION_LOCKED' });
      const live = await ask(org.member.cookie, q.id, { text: 'Asked during the Q&A' });
      expect(live.statusCode).toBe(201);
      expect((await vote(org.speaker.cookie, mine.id)).statusCode).toBe(200);

      clock.advance(20 * 60_000);
      expect(errorOf(await ask(org.member.cookie, q.id, { text: 'After the end' }))).toEqual({ status: 409, code: 'QUESTIONS_CLOSED' });
      expect(errorOf(await vote(org.admin.cookie, mine.id))).toEqual({ status: 409, code: 'QUESTIONS_CLOSED' });
    } finally {
      clock.set(new Date(clock.now().getTime() - 2 * HOUR - 21 * 60_000));
    }
  });

  it('lets the facilitator add five minutes to the live Q&A, which keeps it open longer', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock, HOUR);
    expect(errorOf(await t.app.inject({ method: 'POST', url: `/api/v1/meetings/${meeting.id}/live/extend`, headers: { cookie: org.member.cookie } }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/meetings/${meeting.id}/live/extend`, headers: { cookie: org.facilitator.cookie } });
    expect(res.json()).toEqual({ qaDurationMinutes: 25, qaEndsAt: new Date(new Date(meeting.qaStartsAt).getTime() + 25 * 60_000).toISOString() });
    clock.advance(HOUR + 22 * 60_000);
    try {
      expect((await ask(org.member.cookie, meeting.id, { text: 'In the extra minutes' })).statusCode).toBe(201);
    } finally {
      clock.advance(-(HOUR + 22 * 60_000));
    }
  });
});
