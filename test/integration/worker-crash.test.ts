import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, startTestWorker, type TestApp } from '../support/app.ts';
import { uploadFile, waitForTalk } from '../support/http.ts';
import { makeClip, tempDir } from '../support/media.ts';
import { createOwnDatabase } from '../support/own-database.ts';
import { createOrg, type Org } from '../support/people.ts';

const root = resolve(import.meta.dirname, '../..');
const liveness = { beatMs: 300, staleMs: 2000 };

describe('a worker killed mid-transcode', () => {
  let t: TestApp;
  let org: Org;
  let child: ChildProcess | undefined;
  let rescuer: Awaited<ReturnType<typeof startTestWorker>> | undefined;

  let own: Awaited<ReturnType<typeof createOwnDatabase>>;

  beforeAll(async () => {
    // A queue of its own: the other test files' workers must not pick up (or release) the ladder job.
    own = await createOwnDatabase('timeshift_crash');
    process.env.DATABASE_URL = own.databaseUrl;
    t = await startTestApp();
    org = await createOrg(t.app, t.db);
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await rescuer?.stop();
    await t?.close();
    await own?.drop();
  });

  const stepOf = async (talkId: string, step: string) => {
    const talk = (await t.app.inject({ method: 'GET', url: `/api/v1/talks/${talkId}`, headers: { cookie: org.speaker.cookie } })).json();
    return { talk, step: talk.steps.find((s: { step: string }) => s.step === step) as { state: string; percent: number } | undefined };
  };

  it('leaves its job to another worker, and the talk still reaches ready', async () => {
    const now = Date.now();
    const meeting = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/meetings',
        headers: { cookie: org.facilitator.cookie },
        payload: { title: 'Crash', windowOpensAt: new Date(now - 60_000).toISOString(), windowClosesAt: new Date(now + 86_400_000).toISOString() },
      })
    ).json();
    const talk = (await t.app.inject({ method: 'POST', url: `/api/v1/meetings/${meeting.id}/talks`, headers: { cookie: org.speaker.cookie }, payload: { title: 'Long' } })).json();
    const clip = await makeClip(join(await tempDir(), 'long.mp4'), { seconds: 30, width: 1280, height: 720, fps: 25 });

    child = spawn(process.execPath, ['--import', 'tsx', 'workers/src/main.ts'], {
      cwd: root,
      // No SMTP: this worker must not take the suite's shared mail jobs.
      env: { ...process.env, SMTP_URL: '', WORKER_HEARTBEAT_MS: String(liveness.beatMs), WORKER_STALE_MS: String(liveness.staleMs) },
      stdio: 'ignore',
    });
    expect((await uploadFile(t.app, org.speaker.cookie, talk.id, clip)).statusCode).toBe(202);
    expect((await waitForTalk(t.app, org.speaker.cookie, talk.id, 120_000)).state).toBe('playable');

    // Kill the worker once the ladder is under way.
    const deadline = Date.now() + 180_000;
    for (;;) {
      const { step } = await stepOf(talk.id, 'ladder');
      if (step?.state === 'running' && step.percent > 0) break;
      expect(step?.state).not.toBe('done');
      if (Date.now() > deadline) throw new Error('the ladder never started');
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    const locked = await t.db.selectFrom('graphile_worker.jobs' as never).select(['locked_by', 'attempts'] as never[]).where('key' as never, '=', `ladder:${(await t.db.selectFrom('talks').select('playing_upload_id').where('id', '=', talk.id).executeTakeFirstOrThrow()).playing_upload_id}` as never).executeTakeFirst() as { locked_by: string | null; attempts: number } | undefined;
    expect(locked?.locked_by).toBeTruthy();

    rescuer = await startTestWorker({ liveness });
    const readyBy = Date.now() + 240_000;
    let state = '';
    while (state !== 'ready') {
      const { talk: now } = await stepOf(talk.id, 'ladder');
      state = now.state;
      expect(now.steps.filter((s: { state: string }) => s.state === 'failed')).toEqual([]);
      if (Date.now() > readyBy) throw new Error(`still ${state}: ${JSON.stringify(now.steps)}`);
      if (state !== 'ready') await new Promise((r) => setTimeout(r, 300));
    }
    const { talk: ready } = await stepOf(talk.id, 'ladder');
    expect(ready.renditions.map((r: { height: number }) => r.height)).toEqual([720, 480, 360]);
  }, 480_000);
});
