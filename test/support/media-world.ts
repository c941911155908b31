// One real app, worker and organisation with an open meeting: the setting of the media tests.
import type { FastifyInstance } from 'fastify';
import { startTestApp, startTestWorker, type TestApp } from './app.ts';
import { createOrg, type Org } from './people.ts';

export interface MediaWorld {
  t: TestApp;
  org: Org;
  meetingId: string;
  close(): Promise<void>;
}

/** A meeting whose viewing window is open for the next day. */
export async function createOpenMeeting(app: FastifyInstance, cookie: string, title: string): Promise<string> {
  const now = Date.now();
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/meetings',
    headers: { cookie },
    payload: { title, windowOpensAt: new Date(now - 60_000).toISOString(), windowClosesAt: new Date(now + 86_400_000).toISOString() },
  });
  if (res.statusCode !== 201) throw new Error(`meeting not created: ${res.body}`);
  return res.json().id as string;
}

export async function startMediaWorld(title: string): Promise<MediaWorld> {
  const t = await startTestApp();
  const worker = await startTestWorker();
  const org = await createOrg(t.app, t.db);
  const meetingId = await createOpenMeeting(t.app, org.facilitator.cookie, title);
  return {
    t,
    org,
    meetingId,
    close: async () => {
      await worker.stop();
      await t.close();
    },
  };
}

/**
 * Waits until a talk has finished all its processing: `ready`, `failed`, or with a failed background step.
 * The worker is real, so this waits on real work.
 */
export async function waitUntilSettled(app: FastifyInstance, cookie: string, talkId: string, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const talk = (await app.inject({ method: 'GET', url: `/api/v1/talks/${talkId}`, headers: { cookie } })).json();
    if (talk.state === 'ready' || talk.state === 'failed' || talk.steps?.some((s: { state: string }) => s.state === 'failed')) return talk;
    if (Date.now() > deadline) throw new Error(`talk ${talkId} still ${talk.state}: ${JSON.stringify(talk.steps)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
