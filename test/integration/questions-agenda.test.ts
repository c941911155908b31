import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@timeshift/shared/clock';
import { startTestApp, type TestApp } from '../support/app.ts';
import { errorOf } from '../support/http.ts';
import { createOrg, type Org } from '../support/people.ts';
import { addMembers, createMeeting, HOUR, type Member } from '../support/qa.ts';

let t: TestApp;
let org: Org;
let voters: Member[];
const clock = new ManualClock(new Date());

beforeAll(async () => {
  t = await startTestApp({ clock });
  org = await createOrg(t.app, t.db);
  voters = await addMembers(t.db, org.id, 4, clock.now());
});
afterAll(async () => t?.close());

const get = (cookie: string, url: string) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } });
const post = (cookie: string, url: string, payload?: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { cookie }, payload });

describe('the agenda and the speaker brief', () => {
  it('freezes the ranking at the window close, grouped per talk, before any vote cast in the Q&A counts', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock, 2 * HOUR);
    const talkA = (await post(org.speaker.cookie, `/meetings/${meeting.id}/talks`, { title: 'Strategy' })).json();
    const talkB = (await post(org.otherSpeaker.cookie, `/meetings/${meeting.id}/talks`, { title: 'Hiring' })).json();
    const ask = async (text: string, extra: Record<string, unknown> = {}) => (await post(org.member.cookie, `/meetings/${meeting.id}/questions`, { text, ...extra })).json().id as string;
    const a1 = await ask('Why this market?', { talkId: talkA.id, atSec: 12 });
    const a2 = await ask('What about Europe?', { talkId: talkA.id, atSec: 20 });
    const a3 = await ask('Slide 9 numbers?', { talkId: talkA.id, atSec: 100 });
    const b1 = await ask('How many hires?', { talkId: talkB.id, atSec: 5 });
    const general = await ask('When is the next all-hands?');
    const castVotes = async (id: string, n: number) => {
      for (const v of voters.slice(0, n)) expect((await post(v.cookie, `/questions/${id}/vote`)).statusCode).toBe(200);
    };
    await castVotes(a2, 3);
    await castVotes(a1, 2);
    await castVotes(b1, 1);

    const preview = (await get(org.facilitator.cookie, `/meetings/${meeting.id}/agenda`)).json();
    expect(preview.frozenAt).toBeUndefined();

    clock.advance(2 * HOUR + 60_000);
    try {
      // The first thing to touch the room after the close is a vote that would reorder talk A.
      await castVotes(a3, 4);
      const agenda = (await get(org.facilitator.cookie, `/meetings/${meeting.id}/agenda`)).json();
      expect(agenda.frozenAt).toBe(meeting.windowClosesAt);
      expect(agenda.sections.map((s: { title: string }) => s.title)).toEqual(['Strategy', 'Hiring', 'About the meeting']);
      const strategy = agenda.sections[0].questions;
      expect(strategy.map((q: { id: string }) => q.id)).toEqual([a2, a1, a3]);
      expect(strategy.find((q: { id: string }) => q.id === a3).votes).toBe(4);
      expect(agenda.sections[1].questions.map((q: { id: string }) => q.id)).toEqual([b1]);
      expect(agenda.sections[2].questions.map((q: { id: string }) => q.id)).toEqual([general]);

      // Asked during the Q&A: on the agenda after the frozen ones, without a rank.
      const late = await ask('One more on strategy', { talkId: talkA.id, atSec: 25 });
      const again = (await get(org.member.cookie, `/meetings/${meeting.id}/agenda`)).json();
      const lateItem = again.sections[0].questions.at(-1);
      expect(lateItem.id).toBe(late);
      expect(lateItem).not.toHaveProperty('rank');

      const brief = await get(org.speaker.cookie, `/talks/${talkA.id}/brief`);
      expect(brief.statusCode).toBe(200);
      expect(brief.json()).toMatchObject({ talkId: talkA.id, questionCount: 4, busiestMoments: [{ startSec: 0, endSec: 30, questions: 3 }, { startSec: 90, endSec: 120, questions: 1 }] });
      expect(brief.json().topQuestions.map((q: { id: string }) => q.id)).toEqual([a3, a2, a1, late]);
      expect((await get(org.facilitator.cookie, `/talks/${talkA.id}/brief`)).statusCode).toBe(200);
      expect(errorOf(await get(org.otherSpeaker.cookie, `/talks/${talkA.id}/brief`))).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(errorOf(await get(org.member.cookie, `/talks/${talkA.id}/brief`))).toEqual({ status: 403, code: 'FORBIDDEN' });
    } finally {
      clock.advance(-(2 * HOUR + 60_000));
    }
  });

  it('never names the author of an anonymous question in the agenda or the brief', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    const talk = (await post(org.speaker.cookie, `/meetings/${meeting.id}/talks`, { title: 'Pay' })).json();
    await post(org.member.cookie, `/meetings/${meeting.id}/questions`, { text: 'Are raises frozen?', talkId: talk.id, atSec: 3, anonymous: true });
    for (const res of [await get(org.admin.cookie, `/meetings/${meeting.id}/agenda`), await get(org.speaker.cookie, `/talks/${talk.id}/brief`)]) {
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Are raises frozen?');
      expect(res.body).not.toContain(org.member.id);
      expect(res.body).not.toContain('"author"');
    }
  });
});
