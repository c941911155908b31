import { join } from 'node:path';
import ICAL from 'ical.js';
import { run, type Runner } from 'graphile-worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@timeshift/shared/clock';
import { loadConfig } from '@timeshift/shared/config';
import { createDb } from '@timeshift/shared/db/database';
import { usersRepository } from '../../server/src/repositories/users.ts';
import { argon2Hasher } from '../../server/src/adapters/password.ts';
import { folderMailbox, type MailboxMessage } from '../../server/src/adapters/mail.ts';
import { notificationsRepository } from '../../workers/src/repositories/notifications.ts';
import { flushMail } from '../../workers/src/tasks/mail-flush.ts';
import { notifyTasks, type NotifyDeps } from '../../workers/src/tasks/mail-tasks.ts';
import { smtpMailer } from '../../workers/src/tasks/mail-transport.ts';
import { dueNoticesSweep, meetingNotice } from '../../workers/src/tasks/meeting-notice.ts';
import { startTestApp, startTestWorker, type TestApp } from '../support/app.ts';
import { uploadFile, waitForTalk } from '../support/http.ts';
import { makeClip, tempDir } from '../support/media.ts';
import { createOrg, PASSWORD, type Org } from '../support/people.ts';

const HOUR = 3600_000;

describe('mail: invitations with a calendar, reminders and Q&A notices, through the outbox and real SMTP', () => {
  const clock = new ManualClock(new Date());
  const mailbox = folderMailbox(process.env.DEV_MAILBOX_DIR!);
  let t: TestApp;
  let org: Org;
  let outsiderEmail = '';
  let meeting: { id: string; windowOpensAt: string; windowClosesAt: string; qaStartsAt: string; qaDurationMinutes: number };
  let deps: NotifyDeps;
  let runner: Runner;
  const workerDb = createDb(loadConfig().databaseUrl, 3);

  const inbox = async (email: string) => (await mailbox.list({ to: email, limit: 500 })).reverse();
  async function waitForMail(email: string, count: number): Promise<MailboxMessage[]> {
    // The suite shares one outbox, and this runner is its only sender: other tests' mail may be ahead in line.
    for (let i = 0; i < 600; i++) {
      const got = await inbox(email);
      if (got.length >= count) return got;
      await new Promise((r) => setTimeout(r, 100));
    }
    return inbox(email);
  }

  beforeAll(async () => {
    t = await startTestApp({ clock, publicUrl: 'https://timeshift.example.test' });
    org = await createOrg(t.app, t.db);
    outsiderEmail = `outsider-${org.id.slice(0, 8)}@example.test`;
    await usersRepository(t.db).createMember({ orgId: org.id, email: outsiderEmail, name: 'Otto Outsider', passwordHash: await argon2Hasher.hash(PASSWORD), role: 'member' });
    const group = (await t.app.inject({ method: 'POST', url: '/api/v1/groups', headers: { cookie: org.admin.cookie }, payload: { name: 'Readers' } })).json();
    for (const p of [org.member, org.otherSpeaker]) await t.app.inject({ method: 'PUT', url: `/api/v1/groups/${group.id}/members/${p.id}`, headers: { cookie: org.admin.cookie } });

    const now = clock.now().getTime();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/meetings',
      headers: { cookie: org.facilitator.cookie },
      payload: {
        title: 'Product review',
        windowOpensAt: new Date(now - HOUR).toISOString(),
        windowClosesAt: new Date(now + 30 * HOUR).toISOString(),
        qaStartsAt: new Date(now + 31 * HOUR).toISOString(),
        qaDurationMinutes: 45,
        qaJoinUrl: 'https://call.example.test/review',
        audienceGroupIds: [group.id],
      },
    });
    expect(res.statusCode).toBe(201);
    meeting = res.json();
    const talkId = (await t.app.inject({ method: 'POST', url: `/api/v1/meetings/${meeting.id}/talks`, headers: { cookie: org.speaker.cookie }, payload: { title: 'Roadmap' } })).json().id;
    const worker = await startTestWorker();
    try {
      const clip = await makeClip(join(await tempDir(), 'clip.mp4'), { seconds: 4, width: 160, height: 90 });
      await uploadFile(t.app, org.speaker.cookie, talkId, clip);
      const talk = await waitForTalk(t.app, org.speaker.cookie, talkId);
      // The member watches all of it; the other reader has not started.
      const done = await t.app.inject({ method: 'POST', url: `/api/v1/talks/${talkId}/progress`, headers: { cookie: org.member.cookie }, payload: { ranges: [[0, talk.durationSeconds]], positionSec: talk.durationSeconds } });
      expect(done.json().completion).toBe(1);
    } finally {
      await worker.stop();
    }

    deps = { notifications: notificationsRepository(workerDb), mailer: smtpMailer(process.env.SMTP_URL!, 'Timeshift <no-reply@timeshift.test>'), clock, baseUrl: 'https://timeshift.example.test', log: () => undefined };
    // A real graphile-worker runner with the mail tasks: the API's enqueued mail_flush jobs drive the sending.
    runner = await run({ connectionString: loadConfig().databaseUrl, concurrency: 1, pollInterval: 100, noHandleSignals: true, taskList: notifyTasks(deps) });
  });
  afterAll(async () => {
    await runner?.stop();
    deps?.mailer?.close();
    await workerDb.destroy();
    await t?.close();
  });

  it('sends each person in the audience one invitation whose .ics holds the viewing window and the live Q&A', async () => {
    const [invite] = await waitForMail(org.otherSpeaker.email, 1);
    expect(invite!.subject).toContain('Product review');
    expect(invite!.text).toContain(`https://timeshift.example.test/meetings/${meeting.id}`);
    expect(await waitForMail(org.member.email, 1)).toHaveLength(1);
    expect(await inbox(outsiderEmail)).toEqual([]);
    expect(await inbox(org.admin.email)).toEqual([]);

    const ics = invite!.attachments.find((a) => a.contentType.startsWith('text/calendar'))!;
    expect(ics.filename).toBe('meeting.ics');
    const calendar = new ICAL.Component(ICAL.parse(ics.content));
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events).toHaveLength(2);
    const byUid = Object.fromEntries(events.map((e) => [e.uid, e]));
    const window = byUid[`${meeting.id}-window@timeshift`]!;
    const qa = byUid[`${meeting.id}-qa@timeshift`]!;
    // UTC times, so every calendar places them right in its own zone.
    expect(window.startDate.zone?.tzid).toBe('UTC');
    expect(ics.content).toMatch(/DTSTART:\d{8}T\d{6}Z/);
    expect(window.startDate.toJSDate().toISOString()).toBe(new Date(Math.floor(Date.parse(meeting.windowOpensAt) / 1000) * 1000).toISOString());
    expect(window.endDate.toJSDate().toISOString()).toBe(new Date(Math.floor(Date.parse(meeting.windowClosesAt) / 1000) * 1000).toISOString());
    expect(qa.startDate.toJSDate().toISOString()).toBe(new Date(Math.floor(Date.parse(meeting.qaStartsAt) / 1000) * 1000).toISOString());
    expect(qa.endDate.toJSDate().getTime() - qa.startDate.toJSDate().getTime()).toBe(45 * 60_000);
    expect(qa.location).toBe('https://call.example.test/review');
    expect(window.summary).toBe('Product review: viewing window');
  });

  it('reminds only those who have not finished, once, 24 hours before the close', async () => {
    clock.set(new Date(Date.parse(meeting.windowClosesAt) - 30 * HOUR));
    expect(await meetingNotice(deps, { meetingId: meeting.id, kind: 'reminder_24h' })).toMatchObject({ queued: 0, skipped: 'not due yet' });
    clock.set(new Date(Date.parse(meeting.windowClosesAt) - 24 * HOUR));
    expect(await meetingNotice(deps, { meetingId: meeting.id, kind: 'reminder_24h' })).toEqual({ queued: 1 });
    expect(await meetingNotice(deps, { meetingId: meeting.id, kind: 'reminder_24h' })).toEqual({ queued: 0 });
    await flushMail(deps);
    const mails = await inbox(org.otherSpeaker.email);
    expect(mails.map((m) => m.subject)).toEqual([expect.stringContaining('Product review'), '24 hours left to watch Product review']);
    expect(mails[1]!.text).toContain('Roadmap (0% watched)');
    expect((await inbox(org.member.email)).map((m) => m.subject)).not.toContain('24 hours left to watch Product review');
    expect(await inbox(outsiderEmail)).toEqual([]);
  });

  it('tells the audience 15 minutes before the Q&A, once each', async () => {
    clock.set(new Date(Date.parse(meeting.qaStartsAt) - 15 * 60_000));
    expect(await meetingNotice(deps, { meetingId: meeting.id, kind: 'qa_soon' })).toEqual({ queued: 2 });
    expect(await meetingNotice(deps, { meetingId: meeting.id, kind: 'qa_soon' })).toEqual({ queued: 0 });
    await flushMail(deps);
    for (const p of [org.member, org.otherSpeaker]) {
      const notices = (await inbox(p.email)).filter((m) => m.subject === 'Live Q&A for Product review starts in 15 minutes');
      expect(notices).toHaveLength(1);
      expect(notices[0]!.text).toContain('https://call.example.test/review');
    }
    clock.set(new Date(Date.parse(meeting.qaStartsAt) + 60_000));
    expect(await meetingNotice(deps, { meetingId: meeting.id, kind: 'qa_soon' })).toMatchObject({ queued: 0, skipped: 'Q&A already started' });
  });

  it('a mail the SMTP server refused stays queued and goes out later; one claimed by a worker that died goes out once its lease lapses', async () => {
    const email = `later-${org.id.slice(0, 8)}@example.test`;
    await t.db.insertInto('mail_outbox').values({ org_id: org.id, kind: 'invite', to_email: email, to_name: 'Lena Later', payload: JSON.stringify({ link: 'https://timeshift.example.test/invite/abc', orgName: 'Org' }), dedupe_key: `test:${email}` }).execute();
    const down = { ...deps, mailer: smtpMailer('smtp://127.0.0.1:1', 'x@example.test') };
    expect(await flushMail(down)).toMatchObject({ sent: 0 });
    const parked = await t.db.selectFrom('mail_outbox').selectAll().where('dedupe_key', '=', `test:${email}`).executeTakeFirstOrThrow();
    expect(parked.sent_at).toBeNull();
    expect(parked.last_error).toMatch(/ECONNREFUSED|connect/i);
    expect(await inbox(email)).toEqual([]);

    // The retry back-off and a dead worker's lease both lapse with time; move the lease rather than wait.
    await t.db.updateTable('mail_outbox').set({ locked_until: new Date(Date.now() - 1000) }).where('dedupe_key', '=', `test:${email}`).execute();
    const claimed = await deps.notifications.claim(50);
    expect(claimed.map((m) => m.to_email)).toContain(email);
    // This "worker" dies here, before sending. Nobody else can take the mail while the lease runs…
    expect((await deps.notifications.claim(50)).map((m) => m.to_email)).not.toContain(email);
    await t.db.updateTable('mail_outbox').set({ locked_until: new Date(Date.now() - 1000) }).where('dedupe_key', '=', `test:${email}`).execute();
    // …and once it lapses, the next flush sends it, exactly once, and forgets the link.
    await flushMail(deps);
    await flushMail(deps);
    expect(await inbox(email)).toHaveLength(1);
    const sent = await t.db.selectFrom('mail_outbox').selectAll().where('dedupe_key', '=', `test:${email}`).executeTakeFirstOrThrow();
    expect(sent.sent_at).not.toBeNull();
    expect(sent.payload).not.toHaveProperty('link');
  });

  it('a notice whose run-at job was lost is still queued by the sweep, once', async () => {
    clock.set(new Date());
    const now = clock.now().getTime();
    const group = (await t.app.inject({ method: 'GET', url: '/api/v1/groups', headers: { cookie: org.admin.cookie } })).json().groups[0];
    const m = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/meetings',
        headers: { cookie: org.facilitator.cookie },
        payload: { title: 'Swept', windowOpensAt: new Date(now - HOUR).toISOString(), windowClosesAt: new Date(now + 2 * HOUR).toISOString(), audienceGroupIds: [group.id] },
      })
    ).json();
    // As if the API had died between its commit and the enqueue.
    await sql`delete from graphile_worker._private_jobs where key like ${'meeting_notice:%:' + m.id}`.execute(t.db);
    clock.set(new Date(Date.parse(m.qaStartsAt) - 10 * 60_000));
    const queuedBefore = await t.db.selectFrom('mail_outbox').select('id').where('kind', '=', 'qa_soon').where(sql<boolean>`payload->>'meetingId' = ${m.id}`).execute();
    expect(queuedBefore).toEqual([]);
    expect(await dueNoticesSweep(deps)).toBeGreaterThanOrEqual(2);
    expect(await dueNoticesSweep(deps)).toBe(0);
    const queued = await t.db.selectFrom('mail_outbox').select('to_email').where('kind', '=', 'qa_soon').where(sql<boolean>`payload->>'meetingId' = ${m.id}`).execute();
    expect(queued.map((r) => r.to_email).sort()).toEqual([org.member.email, org.otherSpeaker.email].sort());
  });

  it('the dev mailbox shows caught mail', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/dev/mailbox?to=${encodeURIComponent(org.otherSpeaker.email)}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().messages.map((m: { subject: string }) => m.subject)).toContain('24 hours left to watch Product review');
  });
});
