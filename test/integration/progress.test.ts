import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@timeshift/shared/clock';
import { startTestApp, startTestWorker, type TestApp } from '../support/app.ts';
import { errorOf, uploadFile, waitForTalk } from '../support/http.ts';
import { makeClip, tempDir } from '../support/media.ts';
import { createOrg, type Org } from '../support/people.ts';

describe('watching progress', () => {
  const clock = new ManualClock(new Date());
  let t: TestApp;
  let org: Org;
  let talkId = '';
  let meetingId = '';
  let duration = 0;

  const report = (cookie: string, body: object) => t.app.inject({ method: 'POST', url: `/api/v1/talks/${talkId}/progress`, headers: { cookie }, payload: body });

  beforeAll(async () => {
    t = await startTestApp({ clock });
    org = await createOrg(t.app, t.db);
    const now = clock.now().getTime();
    const meeting = await t.app.inject({
      method: 'POST',
      url: '/api/v1/meetings',
      headers: { cookie: org.facilitator.cookie },
      payload: { title: 'Progress', windowOpensAt: new Date(now - 3600_000).toISOString(), windowClosesAt: new Date(now + 3 * 86400_000).toISOString() },
    });
    meetingId = meeting.json().id;
    talkId = (await t.app.inject({ method: 'POST', url: `/api/v1/meetings/${meetingId}/talks`, headers: { cookie: org.speaker.cookie }, payload: { title: 'Forty seconds' } })).json().id;
    const worker = await startTestWorker();
    try {
      const clip = await makeClip(join(await tempDir(), 'clip.mp4'), { seconds: 40, width: 160, height: 90 });
      expect((await uploadFile(t.app, org.speaker.cookie, talkId, clip)).statusCode).toBe(202);
      duration = (await waitForTalk(t.app, org.speaker.cookie, talkId)).durationSeconds;
    } finally {
      await worker.stop();
    }
    expect(Math.round(duration)).toBe(40);
  });
  afterAll(async () => t?.close());

  it('counts the union of watched seconds: re-watching adds nothing and a skipped part is not counted', async () => {
    const first = await report(org.member.cookie, { ranges: [[0, 10]], positionSec: 10 });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ completion: 0.25, positionSec: 10 });
    // Re-watching 5..10 and then seeking from 10 to 30 and watching to 35: 0..10 and 30..35 watched.
    const second = await report(org.member.cookie, { ranges: [[5, 10], [30, 35]], positionSec: 35 });
    expect(second.json()).toEqual({ completion: 15 / 40, positionSec: 35 });
    const stored = await t.app.inject({ method: 'GET', url: `/api/v1/talks/${talkId}/progress`, headers: { cookie: org.member.cookie } });
    expect(stored.json()).toEqual({ completion: 15 / 40, positionSec: 35, watched: [[0, 10], [30, 35]] });
    // Filling the gap and the end completes it, and never beyond 1.
    const third = await report(org.member.cookie, { ranges: [[10, 30], [35, duration]], positionSec: duration });
    expect(third.json().completion).toBe(1);
  });

  it('resumes where the viewer left off, on the talk and on the meeting page', async () => {
    await report(org.otherSpeaker.cookie, { ranges: [[0, 12.4]], positionSec: 12.4 });
    await report(org.otherSpeaker.cookie, { ranges: [], positionSec: 7 });
    const meeting = await t.app.inject({ method: 'GET', url: `/api/v1/meetings/${meetingId}`, headers: { cookie: org.otherSpeaker.cookie } });
    const talk = meeting.json().talks.find((x: { id: string }) => x.id === talkId);
    expect(talk.progress).toEqual({ completion: 12 / 40, positionSec: 7 });
    expect(meeting.json().timeLeftSeconds).toBeGreaterThan(2 * 86400);
  });

  it('refuses negative, reversed and past-the-end ranges, and changes nothing', async () => {
    const before = (await t.app.inject({ method: 'GET', url: `/api/v1/talks/${talkId}/progress`, headers: { cookie: org.admin.cookie } })).json();
    expect(errorOf(await report(org.admin.cookie, { ranges: [[-2, 5]], positionSec: 5 }))).toEqual({ status: 400, code: 'NEGATIVE_RANGE' });
    expect(errorOf(await report(org.admin.cookie, { ranges: [[0, 5], [20, 10]], positionSec: 5 }))).toEqual({ status: 400, code: 'REVERSED_RANGE' });
    expect(errorOf(await report(org.admin.cookie, { ranges: [[0, duration + 30]], positionSec: 5 }))).toEqual({ status: 400, code: 'RANGE_BEYOND_DURATION' });
    expect(errorOf(await report(org.admin.cookie, { ranges: [[0, 5]], positionSec: -1 }))).toEqual({ status: 400, code: 'INVALID_POSITION' });
    expect(errorOf(await report(org.admin.cookie, { ranges: [[0]], positionSec: 1 }))).toEqual({ status: 400, code: 'INVALID_INPUT' });
    expect(errorOf(await report(org.admin.cookie, { ranges: 'all', positionSec: 1 }))).toEqual({ status: 400, code: 'INVALID_INPUT' });
    const after = (await t.app.inject({ method: 'GET', url: `/api/v1/talks/${talkId}/progress`, headers: { cookie: org.admin.cookie } })).json();
    expect(after).toEqual(before);
  });

  it('gives speakers a retention curve per 10-s bucket and facilitators the people who have not watched', async () => {
    const insights = (await t.app.inject({ method: 'GET', url: `/api/v1/talks/${talkId}/insights`, headers: { cookie: org.speaker.cookie } })).json();
    // member watched everything, otherSpeaker 0..12: two viewers.
    expect(insights.viewers).toBe(2);
    expect(insights.averageCompletion).toBeCloseTo((1 + 12 / 40) / 2, 5);
    // The member went back over 5..10 once: that bucket shows one re-watcher.
    expect(insights.retention).toEqual([
      { startSec: 0, viewers: 2, share: 1, rewatchers: 1 },
      { startSec: 10, viewers: 2, share: 1, rewatchers: 0 },
      { startSec: 20, viewers: 1, share: 0.5, rewatchers: 0 },
      { startSec: 30, viewers: 1, share: 0.5, rewatchers: 0 },
    ]);
    const meeting = (await t.app.inject({ method: 'GET', url: `/api/v1/meetings/${meetingId}/insights`, headers: { cookie: org.facilitator.cookie } })).json();
    const ids = (list: { id: string }[]) => list.map((p) => p.id).sort();
    expect(ids(meeting.notWatched)).toEqual(ids([org.admin, org.facilitator, org.speaker]));
    expect(ids(meeting.notFinished)).toEqual(ids([org.admin, org.facilitator, org.speaker, org.otherSpeaker]));
    expect(meeting.talks).toEqual([expect.objectContaining({ talkId, viewers: 2 })]);
  });

  it('stops counting once the window has closed', async () => {
    clock.advance(4 * 86400_000);
    expect(errorOf(await report(org.member.cookie, { ranges: [[0, 5]], positionSec: 5 }))).toEqual({ status: 403, code: 'WINDOW_CLOSED' });
  });
});
