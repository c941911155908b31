import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@timeshift/shared/clock';
import { startTestApp, type TestApp } from '../support/app.ts';
import { errorOf } from '../support/http.ts';
import { createOrg, type Org } from '../support/people.ts';
import { createMeeting, HOUR } from '../support/qa.ts';

let t: TestApp;
let org: Org;
const clock = new ManualClock(new Date());

beforeAll(async () => {
  t = await startTestApp({ clock });
  org = await createOrg(t.app, t.db);
});
afterAll(async () => t?.close());

const send = (method: 'GET' | 'POST' | 'PATCH', cookie: string, url: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });

describe('answers', () => {
  it('records questions answered live, answered later in text, and still open', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock, HOUR);
    const talk = (await send('POST', org.speaker.cookie, `/meetings/${meeting.id}/talks`, { title: 'Roadmap' })).json();
    const ask = async (text: string, extra: Record<string, unknown> = {}) => (await send('POST', org.member.cookie, `/meetings/${meeting.id}/questions`, { text, ...extra })).json().id as string;
    const live = await ask('Will we ship in May?', { talkId: talk.id, atSec: 40 });
    const later = await ask('Who owns billing?', { talkId: talk.id, atSec: 80, anonymous: true });
    const open = await ask('Office plans?');

    clock.advance(HOUR + 5 * 60_000);
    try {
      const marked = await send('PATCH', org.facilitator.cookie, `/questions/${live}`, { status: 'answered' });
      expect(marked.json().answer).toEqual({ live: true, answeredAt: clock.now().toISOString() });

      clock.advance(HOUR);
      // The Q&A is over: the speaker answers in text, pointing at a moment of the talk.
      expect(errorOf(await send('POST', org.otherSpeaker.cookie, `/questions/${later}/answer`, { text: 'Not mine to say' }))).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(errorOf(await send('POST', org.member.cookie, `/questions/${later}/answer`, { text: 'I think…' }))).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(errorOf(await send('POST', org.speaker.cookie, `/questions/${open}/answer`, { text: 'Not about my talk' }))).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(errorOf(await send('POST', org.speaker.cookie, `/questions/${later}/answer`, { text: '   ' }))).toEqual({ status: 400, code: 'ANSWER_EMPTY' });
      expect(errorOf(await send('POST', org.speaker.cookie, `/questions/${later}/answer`, { text: 'x'.repeat(5001) }))).toEqual({ status: 400, code: 'ANSWER_TOO_LONG' });
      const answered = await send('POST', org.speaker.cookie, `/questions/${later}/answer`, { text: 'The payments team; see the org chart here.', talkId: talk.id, atSec: 95 });
      expect(answered.statusCode).toBe(200);
      expect(answered.json()).toMatchObject({ status: 'answered', answer: { live: false, text: 'The payments team; see the org chart here.', talkId: talk.id, atSec: 95 } });
      expect(answered.json()).not.toHaveProperty('author');

      // The person who asked (anonymously) is told, by mail through the outbox; nobody else is.
      const mails = await t.db.selectFrom('mail_outbox').select(['to_email', 'payload']).where('kind', '=', 'question_answered').where('org_id', '=', org.id).execute();
      expect(mails).toEqual([{ to_email: org.member.email, payload: expect.objectContaining({ questionId: later, answer: 'The payments team; see the org chart here.' }) }]);

      const record = (await send('GET', org.member.cookie, `/meetings/${meeting.id}/record`)).json();
      expect(record.answeredLive.map((q: { id: string }) => q.id)).toEqual([live]);
      expect(record.answeredLater.map((q: { id: string }) => q.id)).toEqual([later]);
      expect(record.open.map((q: { id: string }) => q.id)).toEqual([open]);
      expect(JSON.stringify(record.answeredLater)).not.toContain(org.member.id);
    } finally {
      clock.advance(-(2 * HOUR + 5 * 60_000));
    }
  });

  it('refuses to answer a question that is waiting for approval', async () => {
    const meeting = await createMeeting(t.app, org.facilitator.cookie, clock);
    await t.app.inject({ method: 'PUT', url: `/api/v1/meetings/${meeting.id}/moderation`, headers: { cookie: org.facilitator.cookie }, payload: { requireApproval: true } });
    const q = (await send('POST', org.member.cookie, `/meetings/${meeting.id}/questions`, { text: 'Pending one' })).json();
    expect(q.status).toBe('pending');
    expect(errorOf(await send('POST', org.facilitator.cookie, `/questions/${q.id}/answer`, { text: 'Answer' }))).toEqual({ status: 409, code: 'QUESTION_NOT_ANSWERABLE' });
  });
});
