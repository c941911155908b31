import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@timeshift/shared/clock';
import { keys } from '@timeshift/shared/storage/keys';
import { retentionRepository } from '../../workers/src/repositories/retention.ts';
import { retentionSweep } from '../../workers/src/tasks/retention-sweep.ts';
import { startTestApp, startTestWorker, type TestApp } from '../support/app.ts';
import { errorOf, uploadFile, waitForTalk } from '../support/http.ts';
import { makeClip, tempDir } from '../support/media.ts';
import { createOrg, type Org } from '../support/people.ts';

const DAY = 86400_000;

describe('retention', () => {
  const clock = new ManualClock(new Date());
  let t: TestApp;
  let org: Org;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    org = await createOrg(t.app, t.db);
  });
  afterAll(async () => t?.close());

  async function meetingWithTalk(title: string, retentionDays?: number) {
    const now = clock.now().getTime();
    const meeting = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/meetings',
        headers: { cookie: org.facilitator.cookie },
        payload: { title, windowOpensAt: new Date(now - DAY).toISOString(), windowClosesAt: new Date(now + DAY).toISOString(), ...(retentionDays === undefined ? {} : { retentionDays }) },
      })
    ).json();
    const talk = (await t.app.inject({ method: 'POST', url: `/api/v1/meetings/${meeting.id}/talks`, headers: { cookie: org.speaker.cookie }, payload: { title } })).json();
    return { meeting, talk };
  }

  it('deletes a meeting’s recordings once its retention has run out and archives its talks; kept meetings keep theirs', async () => {
    const expiring = await meetingWithTalk('Expiring', 3);
    const kept = await meetingWithTalk('Kept');
    const worker = await startTestWorker();
    try {
      const clip = await makeClip(join(await tempDir(), 'clip.mp4'), { seconds: 3, width: 160, height: 90 });
      for (const m of [expiring, kept]) {
        await uploadFile(t.app, org.speaker.cookie, m.talk.id, clip);
        expect((await waitForTalk(t.app, org.speaker.cookie, m.talk.id)).state).toMatch(/playable|ready/);
      }
    } finally {
      await worker.stop();
    }
    const talkRow = async (id: string) => t.db.selectFrom('talks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const playlistOf = async (id: string) => {
      const row = await talkRow(id);
      const rendition = await t.db.selectFrom('renditions').select('playlist').where('upload_id', '=', row.playing_upload_id!).executeTakeFirstOrThrow();
      return keys.hlsFile(id, row.playing_upload_id!, rendition.playlist);
    };
    const expiringPlaylist = await playlistOf(expiring.talk.id);
    const keptPlaylist = await playlistOf(kept.talk.id);
    const deps = { retention: retentionRepository(t.db), storage: t.storage, clock, log: () => undefined };

    // The Q&A ends a day and 20 minutes from now; three days after that the recordings may go.
    clock.advance(DAY + 20 * 60_000 + 3 * DAY - 60_000);
    expect((await retentionSweep(deps)).talks).toBe(0);
    expect(await t.storage.getText(expiringPlaylist)).toContain('#EXTM3U');

    clock.advance(60_000);
    const swept = await retentionSweep(deps);
    expect(swept).toMatchObject({ talks: 1 });
    expect(swept.objects).toBeGreaterThan(2);
    await expect(t.storage.getText(expiringPlaylist)).rejects.toThrow();
    expect((await talkRow(expiring.talk.id)).state).toBe('archived');
    const seen = await t.app.inject({ method: 'GET', url: `/api/v1/talks/${expiring.talk.id}`, headers: { cookie: org.speaker.cookie } });
    expect(seen.json().state).toBe('archived');
    expect(errorOf(await t.app.inject({ method: 'GET', url: `/api/v1/talks/${expiring.talk.id}/playback`, headers: { cookie: org.speaker.cookie } }))).toEqual({ status: 409, code: 'NOT_PLAYABLE' });

    // Kept meetings are untouched, and a second run changes nothing.
    expect(await t.storage.getText(keptPlaylist)).toContain('#EXTM3U');
    expect(await retentionSweep(deps)).toEqual({ meetings: 0, objects: 0, talks: 0 });
    expect((await talkRow(kept.talk.id)).state).toMatch(/playable|ready/);
  });

  it('refuses a negative or absurd retention period', async () => {
    const now = clock.now().getTime();
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/meetings',
      headers: { cookie: org.facilitator.cookie },
      payload: { title: 'Bad', windowOpensAt: new Date(now).toISOString(), windowClosesAt: new Date(now + DAY).toISOString(), retentionDays: -1 },
    });
    expect(errorOf(bad)).toEqual({ status: 400, code: 'INVALID_INPUT' });
  });
});
