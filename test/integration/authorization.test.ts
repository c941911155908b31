// The authorisation table: every route of meetings, talks, playback, progress, insights and people, for every
// kind of person (own organisation or another), in every phase of the meeting. Each cell is one request.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@timeshift/shared/clock';
import { usersRepository } from '../../server/src/repositories/users.ts';
import { startTestApp, startTestWorker, type TestApp } from '../support/app.ts';
import { uploadFile, waitForTalk } from '../support/http.ts';
import { makeClip, tempDir } from '../support/media.ts';
import { createOrg, login, PASSWORD, type Org } from '../support/people.ts';
import { argon2Hasher } from '../../server/src/adapters/password.ts';

type Who = 'admin' | 'facilitator' | 'speaker' | 'otherSpeaker' | 'member' | 'outsider' | 'foreignAdmin' | 'foreignMember';
type Phase = 'scheduled' | 'open' | 'qa' | 'closed';
/** A status, or a status and the error code it must carry. */
type Cell = number | [number, string];
type Row = Record<Who, Cell | Record<Phase, Cell>>;

const WHO: Who[] = ['admin', 'facilitator', 'speaker', 'otherSpeaker', 'member', 'outsider', 'foreignAdmin', 'foreignMember'];
const PHASES: Phase[] = ['scheduled', 'open', 'qa', 'closed'];

// The audience (otherSpeaker and member are in the meeting's group) watches only while the window is open.
const AUDIENCE_WATCH: Record<Phase, Cell> = {
  scheduled: [403, 'WINDOW_NOT_OPEN'],
  open: 200,
  qa: [403, 'WINDOW_CLOSED'],
  closed: [403, 'WINDOW_CLOSED'],
};
const HIDDEN: Cell = [404, 'NOT_FOUND'];
// Issue 5's rule for questions: asking runs from the opening through the live Q&A.
const ASK: Record<Phase, Cell> = { scheduled: [409, 'QUESTIONS_NOT_OPEN'], open: 201, qa: 201, closed: [409, 'QUESTIONS_CLOSED'] };
const ROLE_DENIED: Cell = [403, 'FORBIDDEN'];

/**
 * The table. "outsider" is a member of the organisation outside the meeting's audience; "speaker" owns the talk;
 * "foreign…" belong to another organisation. Other organisations' rows are always unknown to them (404), except
 * where the role alone already rules the request out (403 before anything is looked up).
 */
const TABLE: Record<string, Row> = {
  'GET /meetings/:id': { admin: 200, facilitator: 200, speaker: 200, otherSpeaker: 200, member: 200, outsider: HIDDEN, foreignAdmin: HIDDEN, foreignMember: HIDDEN },
  'GET /meetings (lists it)': { admin: 200, facilitator: 200, speaker: 200, otherSpeaker: 200, member: 200, outsider: 404, foreignAdmin: 404, foreignMember: 404 },
  'PATCH /meetings/:id': { admin: 200, facilitator: 200, speaker: ROLE_DENIED, otherSpeaker: ROLE_DENIED, member: ROLE_DENIED, outsider: ROLE_DENIED, foreignAdmin: HIDDEN, foreignMember: ROLE_DENIED },
  'POST /meetings/:id/publish': { admin: 200, facilitator: 200, speaker: ROLE_DENIED, otherSpeaker: ROLE_DENIED, member: ROLE_DENIED, outsider: ROLE_DENIED, foreignAdmin: HIDDEN, foreignMember: ROLE_DENIED },
  'POST /meetings/:id/talks': { admin: 201, facilitator: 201, speaker: 201, otherSpeaker: 201, member: ROLE_DENIED, outsider: ROLE_DENIED, foreignAdmin: HIDDEN, foreignMember: ROLE_DENIED },
  'GET /meetings/:id/insights': { admin: 200, facilitator: 200, speaker: ROLE_DENIED, otherSpeaker: ROLE_DENIED, member: ROLE_DENIED, outsider: ROLE_DENIED, foreignAdmin: HIDDEN, foreignMember: ROLE_DENIED },
  'GET /talks/:id': { admin: 200, facilitator: 200, speaker: 200, otherSpeaker: 200, member: 200, outsider: HIDDEN, foreignAdmin: HIDDEN, foreignMember: HIDDEN },
  'GET /talks/:id/playback': { admin: 200, facilitator: 200, speaker: 200, otherSpeaker: AUDIENCE_WATCH, member: AUDIENCE_WATCH, outsider: HIDDEN, foreignAdmin: HIDDEN, foreignMember: HIDDEN },
  'POST /talks/:id/progress': { admin: 200, facilitator: 200, speaker: 200, otherSpeaker: AUDIENCE_WATCH, member: AUDIENCE_WATCH, outsider: HIDDEN, foreignAdmin: HIDDEN, foreignMember: HIDDEN },
  'GET /talks/:id/progress': { admin: 200, facilitator: 200, speaker: 200, otherSpeaker: 200, member: 200, outsider: HIDDEN, foreignAdmin: HIDDEN, foreignMember: HIDDEN },
  'GET /talks/:id/insights': { admin: 200, facilitator: 200, speaker: 200, otherSpeaker: ROLE_DENIED, member: ROLE_DENIED, outsider: HIDDEN, foreignAdmin: HIDDEN, foreignMember: HIDDEN },
  'POST /meetings/:id/questions': { admin: ASK, facilitator: ASK, speaker: ASK, otherSpeaker: ASK, member: ASK, outsider: HIDDEN, foreignAdmin: HIDDEN, foreignMember: HIDDEN },
  'GET /meetings/:id/questions': { admin: 200, facilitator: 200, speaker: 200, otherSpeaker: 200, member: 200, outsider: HIDDEN, foreignAdmin: HIDDEN, foreignMember: HIDDEN },
  'GET /people (lists this org’s member)': { admin: 200, facilitator: 200, speaker: ROLE_DENIED, otherSpeaker: ROLE_DENIED, member: ROLE_DENIED, outsider: ROLE_DENIED, foreignAdmin: 404, foreignMember: ROLE_DENIED },
  'POST /groups': { admin: 201, facilitator: ROLE_DENIED, speaker: ROLE_DENIED, otherSpeaker: ROLE_DENIED, member: ROLE_DENIED, outsider: ROLE_DENIED, foreignAdmin: 201, foreignMember: ROLE_DENIED },
};

describe('the authorisation table', () => {
  const opensAt = new Date(Date.now() + 3600_000);
  const closesAt = new Date(opensAt.getTime() + 2 * 86400_000);
  const at: Record<Phase, Date> = {
    scheduled: new Date(opensAt.getTime() - 60_000),
    open: new Date(opensAt.getTime() + 3600_000),
    qa: new Date(closesAt.getTime() + 5 * 60_000),
    closed: new Date(closesAt.getTime() + 3600_000),
  };
  const clock = new ManualClock(new Date(Date.now()));
  let t: TestApp;
  let org: Org;
  let other: Org;
  const cookie = {} as Record<Who, string>;
  let meetingId = '';
  let talkId = '';
  let memberId = '';

  beforeAll(async () => {
    t = await startTestApp({ clock });
    org = await createOrg(t.app, t.db);
    other = await createOrg(t.app, t.db);
    const users = usersRepository(t.db);
    const outsiderEmail = `outsider-${org.id.slice(0, 8)}@example.test`;
    await users.createMember({ orgId: org.id, email: outsiderEmail, name: 'Otto Outsider', passwordHash: await argon2Hasher.hash(PASSWORD), role: 'member' });
    Object.assign(cookie, {
      admin: org.admin.cookie,
      facilitator: org.facilitator.cookie,
      speaker: org.speaker.cookie,
      otherSpeaker: org.otherSpeaker.cookie,
      member: org.member.cookie,
      outsider: await login(t.app, outsiderEmail, PASSWORD),
      foreignAdmin: other.admin.cookie,
      foreignMember: other.member.cookie,
    });
    memberId = org.member.id;

    const group = (await t.app.inject({ method: 'POST', url: '/api/v1/groups', headers: { cookie: org.admin.cookie }, payload: { name: 'Engineering' } })).json();
    for (const p of [org.member, org.otherSpeaker]) {
      const res = await t.app.inject({ method: 'PUT', url: `/api/v1/groups/${group.id}/members/${p.id}`, headers: { cookie: org.admin.cookie } });
      expect(res.statusCode).toBe(204);
    }
    const meeting = await t.app.inject({
      method: 'POST',
      url: '/api/v1/meetings',
      headers: { cookie: org.facilitator.cookie },
      payload: { title: 'Engineering all-hands', windowOpensAt: opensAt.toISOString(), windowClosesAt: closesAt.toISOString(), audienceGroupIds: [group.id] },
    });
    expect(meeting.statusCode).toBe(201);
    meetingId = meeting.json().id;
    const talk = await t.app.inject({ method: 'POST', url: `/api/v1/meetings/${meetingId}/talks`, headers: { cookie: org.speaker.cookie }, payload: { title: 'Platform roadmap' } });
    talkId = talk.json().id;

    const worker = await startTestWorker();
    try {
      const clip = await makeClip(join(await tempDir(), 'clip.mp4'), { seconds: 4, width: 320, height: 180 });
      expect((await uploadFile(t.app, org.speaker.cookie, talkId, clip)).statusCode).toBe(202);
      expect((await waitForTalk(t.app, org.speaker.cookie, talkId)).state).toBe('playable');
    } finally {
      await worker.stop();
    }
  });
  afterAll(async () => t?.close());

  async function request(route: string, who: Who): Promise<{ status: number; code?: string }> {
    const headers = { cookie: cookie[who] };
    const send = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) => {
      const res = await t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
      return { status: res.statusCode, code: res.statusCode >= 400 ? (res.json().error?.code as string) : undefined, body: res.statusCode < 300 && res.body ? res.json() : undefined };
    };
    switch (route) {
      case 'GET /meetings/:id':
        return send('GET', `/meetings/${meetingId}`);
      case 'GET /meetings (lists it)': {
        const res = await send('GET', '/meetings');
        expect(res.status).toBe(200);
        return { status: res.body.meetings.some((m: { id: string }) => m.id === meetingId) ? 200 : 404 };
      }
      case 'PATCH /meetings/:id':
        return send('PATCH', `/meetings/${meetingId}`, { title: 'Engineering all-hands' });
      case 'POST /meetings/:id/publish':
        return send('POST', `/meetings/${meetingId}/publish`);
      case 'POST /meetings/:id/talks':
        return send('POST', `/meetings/${meetingId}/talks`, { title: 'Lightning talk' });
      case 'GET /meetings/:id/insights':
        return send('GET', `/meetings/${meetingId}/insights`);
      case 'GET /talks/:id':
        return send('GET', `/talks/${talkId}`);
      case 'GET /talks/:id/playback':
        return send('GET', `/talks/${talkId}/playback`);
      case 'POST /talks/:id/progress':
        return send('POST', `/talks/${talkId}/progress`, { ranges: [[0, 2]], positionSec: 2 });
      case 'GET /talks/:id/progress':
        return send('GET', `/talks/${talkId}/progress`);
      case 'GET /talks/:id/insights':
        return send('GET', `/talks/${talkId}/insights`);
      case 'POST /meetings/:id/questions':
        return send('POST', `/meetings/${meetingId}/questions`, { text: `What about ${who}?` });
      case 'GET /meetings/:id/questions':
        return send('GET', `/meetings/${meetingId}/questions`);
      case 'GET /people (lists this org’s member)': {
        const res = await send('GET', '/people');
        if (res.status !== 200) return res;
        return { status: res.body.people.some((p: { id: string }) => p.id === memberId) ? 200 : 404 };
      }
      case 'POST /groups':
        return send('POST', '/groups', { name: `Team ${Math.random().toString(36).slice(2, 10)}` });
    }
    throw new Error(`no request for ${route}`);
  }

  for (const phase of PHASES) {
    describe(`while the meeting is ${phase}`, () => {
      for (const [route, row] of Object.entries(TABLE)) {
        it(`${route}: every person gets exactly their cell`, async () => {
          clock.set(at[phase]);
          const got: Record<string, Cell> = {};
          const want: Record<string, Cell> = {};
          for (const who of WHO) {
            const cell = row[who];
            const expected = typeof cell === 'object' && !Array.isArray(cell) ? cell[phase] : cell;
            const res = await request(route, who);
            want[who] = expected;
            got[who] = Array.isArray(expected) ? [res.status, res.code ?? ''] : res.status;
          }
          expect(got).toEqual(want);
        });
      }
    });
  }

  it('the phase flips at the exact instants: open at the opening, Q&A at the close, closed when the Q&A ends', async () => {
    const phaseAt = async (when: Date) => {
      clock.set(when);
      return (await t.app.inject({ method: 'GET', url: `/api/v1/meetings/${meetingId}`, headers: { cookie: cookie.member } })).json().phase;
    };
    expect(await phaseAt(new Date(opensAt.getTime() - 1))).toBe('scheduled');
    expect(await phaseAt(opensAt)).toBe('open');
    expect(await phaseAt(new Date(closesAt.getTime() - 1))).toBe('open');
    expect(await phaseAt(closesAt)).toBe('qa');
    expect(await phaseAt(new Date(closesAt.getTime() + 20 * 60_000 - 1))).toBe('qa');
    expect(await phaseAt(new Date(closesAt.getTime() + 20 * 60_000))).toBe('closed');
    // The same instants decide playback: the last millisecond of the window plays, the close does not.
    clock.set(new Date(closesAt.getTime() - 1));
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/talks/${talkId}/playback`, headers: { cookie: cookie.member } })).statusCode).toBe(200);
    clock.set(closesAt);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/talks/${talkId}/playback`, headers: { cookie: cookie.member } })).statusCode).toBe(403);
  });
});
