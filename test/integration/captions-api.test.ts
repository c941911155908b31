// Captions through the API: the transcript and its search, the player's WebVTT, speakers' edits and uploads,
// who may change them, and automatic captions never overwriting a speaker's track.
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '@timeshift/shared/clock';
import { pocketsphinxTranscriber } from '../../workers/src/media/captions/pocketsphinx.ts';
import { captionsRepository } from '../../workers/src/repositories/captions.ts';
import { mediaRepository, stepsRepository } from '../../workers/src/repositories/media.ts';
import { transcribeTalk, type CaptionDeps } from '../../workers/src/tasks/captions.ts';
import { startTestApp, startTestWorker, type TestApp } from '../support/app.ts';
import { errorOf, multipart, uploadFile, waitForTalk } from '../support/http.ts';
import { makeClip, tempDir } from '../support/media.ts';
import { createOrg, type Org } from '../support/people.ts';
import { createMeeting } from '../support/qa.ts';

const exec = promisify(execFile);
const SPEECH = '/usr/share/pocketsphinx/test/data/cards/005.wav'; // "eight of spades four of clubs seven of hearts"

type CueDto = { startSec: number; endSec: number; text: string };

describe('captions and the transcript', () => {
  let t: TestApp;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let org: Org;
  let meetingId: string;
  let deps: CaptionDeps;

  beforeAll(async () => {
    t = await startTestApp();
    worker = await startTestWorker();
    org = await createOrg(t.app, t.db);
    meetingId = (await createMeeting(t.app, org.facilitator.cookie, systemClock)).id;
    const published = await t.app.inject({ method: 'POST', url: `/api/v1/meetings/${meetingId}/publish`, headers: { cookie: org.facilitator.cookie } });
    expect(published.statusCode).toBe(200);
    deps = { media: mediaRepository(t.db), captions: captionsRepository(t.db), storage: t.storage, transcriber: pocketsphinxTranscriber(), log: () => undefined };
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
  });

  async function newTalk(title = 'Captioned talk'): Promise<string> {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/meetings/${meetingId}/talks`, headers: { cookie: org.speaker.cookie }, payload: { title } });
    expect(res.statusCode).toBe(201);
    return res.json().id;
  }

  function transcript(talkId: string, cookie: string, q?: string) {
    return t.app.inject({ method: 'GET', url: `/api/v1/talks/${talkId}/transcript${q === undefined ? '' : `?q=${encodeURIComponent(q)}`}`, headers: { cookie } });
  }

  function putCues(talkId: string, cookie: string, body: unknown, lang = 'en') {
    return t.app.inject({ method: 'PUT', url: `/api/v1/talks/${talkId}/captions/${lang}`, headers: { cookie }, payload: body as Record<string, unknown> });
  }

  function putFile(talkId: string, cookie: string, text: string, contentType: string) {
    return t.app.inject({ method: 'PUT', url: `/api/v1/talks/${talkId}/captions/en`, headers: { cookie, 'content-type': contentType }, payload: Buffer.from(text) });
  }

  /** A playable talk whose sound is one real recording of speech, captioned by the real engine. */
  let spoken: { talkId: string; uploadId: string } | undefined;
  async function spokenTalk() {
    if (spoken) return spoken;
    const dir = await tempDir();
    const clip = join(dir, 'speech.mp4');
    await exec('ffmpeg', ['-v', 'error', '-y', '-i', SPEECH, '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-filter_complex', '[0]adelay=1000:all=1,apad=pad_dur=1[a]', '-map', '1:v', '-map', '[a]', '-shortest', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', clip]);
    const talkId = await newTalk('Cards');
    const upload = await uploadFile(t.app, org.speaker.cookie, talkId, clip, 'speech.mp4');
    expect(upload.statusCode).toBe(202);
    const talk = await waitForTalk(t.app, org.speaker.cookie, talkId, 90_000);
    expect(['playable', 'ready']).toContain(talk.state);
    const uploadId = upload.json().uploadId as string;
    expect(await transcribeTalk(deps, { talkId, uploadId })).toMatchObject({ outcome: 'captioned' });
    spoken = { talkId, uploadId };
    return spoken;
  }

  it('lets the audience read and search automatic captions, and the player load them as WebVTT', async () => {
    const { talkId } = await spokenTalk();
    const talk = (await t.app.inject({ method: 'GET', url: `/api/v1/talks/${talkId}`, headers: { cookie: org.member.cookie } })).json();
    expect(talk.captions).toEqual([{ lang: 'en', label: 'English (automatic)', source: 'asr' }]);

    const all = await transcript(talkId, org.member.cookie);
    expect(all.statusCode).toBe(200);
    const cues = all.json().cues as CueDto[];
    expect(cues.length).toBeGreaterThan(0);
    expect(cues.map((c) => c.text).join(' ').toLowerCase()).toContain('eight of spades');

    // Full-text search stems words: "spade" finds "spades"; a word never said finds nothing.
    const found = (await transcript(talkId, org.member.cookie, 'spade')).json().cues as CueDto[];
    expect(found.length).toBe(1);
    expect(found[0]!.text.toLowerCase()).toContain('spades');
    expect((await transcript(talkId, org.member.cookie, 'diamonds')).json().cues).toEqual([]);
    expect((await transcript(talkId, org.member.cookie, '   ')).json().cues).toEqual(cues);

    const playback = (await t.app.inject({ method: 'GET', url: `/api/v1/talks/${talkId}/playback`, headers: { cookie: org.member.cookie } })).json();
    expect(playback.captions).toEqual([{ lang: 'en', label: 'English (automatic)', url: expect.stringMatching(/\/api\/v1\/talks\/[0-9a-f-]+\/captions\/en\.vtt\?token=/) }]);
    const vttPath = new URL(playback.captions[0].url).pathname + new URL(playback.captions[0].url).search;
    const vtt = await t.app.inject({ method: 'GET', url: vttPath });
    expect(vtt.statusCode).toBe(200);
    expect(vtt.headers['content-type']).toMatch(/^text\/vtt/);
    expect(vtt.body).toMatch(/^WEBVTT\n\n1\n\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}\n/);
    expect(vtt.body.toLowerCase()).toContain('spades');

    const forged = await t.app.inject({ method: 'GET', url: vttPath.replace(/token=[^&]+/, 'token=not-a-real-token-at-all') });
    expect(errorOf(forged)).toEqual({ status: 403, code: 'PLAYBACK_EXPIRED' });
    const missing = await t.app.inject({ method: 'GET', url: vttPath.replace('/en.vtt', '/de.vtt') });
    expect(errorOf(missing)).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('keeps a speaker’s edited track when automatic captions run again', async () => {
    const { talkId, uploadId } = await spokenTalk();
    const edited = [
      { startSec: 1, endSec: 2.5, text: 'Eight of spades,' },
      { startSec: 2.5, endSec: 4.4, text: 'four of clubs,\nseven of hearts.' },
    ];
    const put = await putCues(talkId, org.speaker.cookie, { cues: edited });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ lang: 'en', source: 'edited', label: 'English', cues: edited });

    expect(await transcribeTalk(deps, { talkId, uploadId })).toEqual({ outcome: 'kept_speaker_track' });
    // Even a run that got past that check (a race) cannot replace the speaker's cues.
    expect(await deps.captions.replaceAutomaticTrack({ talkId, uploadId, lang: 'en', label: 'English (automatic)', cues: [{ startSec: 0, endSec: 1, text: 'asr' }] })).toBe('kept_speaker_track');

    const after = (await transcript(talkId, org.member.cookie)).json();
    expect(after).toEqual({ lang: 'en', source: 'edited', cues: [edited[0], { ...edited[1], text: 'four of clubs, seven of hearts.' }] });
    const talk = (await t.app.inject({ method: 'GET', url: `/api/v1/talks/${talkId}`, headers: { cookie: org.member.cookie } })).json();
    expect(talk.captions).toEqual([{ lang: 'en', label: 'English', source: 'edited' }]);
  });

  it('refuses broken cue edits with a reason and leaves the track as it was', async () => {
    const talkId = await newTalk();
    const good = [{ startSec: 0, endSec: 2, text: 'Hello' }];
    expect((await putCues(talkId, org.speaker.cookie, { cues: good })).statusCode).toBe(200);
    const cases: [unknown, string, RegExp][] = [
      [{ cues: [{ startSec: 0, endSec: 3, text: 'a' }, { startSec: 2, endSec: 4, text: 'b' }] }, 'INVALID_CUES', /Cue 2 starts at 2 s, before cue 1 ends at 3 s/],
      [{ cues: [{ startSec: 5, endSec: 6, text: 'a' }, { startSec: 1, endSec: 2, text: 'b' }] }, 'INVALID_CUES', /time order/],
      [{ cues: [{ startSec: 3, endSec: 2, text: 'a' }] }, 'INVALID_CUES', /ends \(2 s\) before it starts \(3 s\)/],
      [{ cues: [{ startSec: 0, endSec: 1, text: '   ' }] }, 'INVALID_CUES', /no text/],
      [{ cues: [{ startSec: 0, endSec: 1, text: 'x'.repeat(201) }] }, 'INVALID_CUES', /at most 200/],
      [{ cues: [] }, 'INVALID_CUES', /at least one cue/],
      [{ cues: [{ startSec: -1, endSec: 1, text: 'a' }] }, 'INVALID_INPUT', /startSec/],
      [{ cues: [{ startSec: 0, endSec: 1, text: 'a', style: 'x' }] }, 'INVALID_INPUT', /./],
    ];
    for (const [body, code, message] of cases) {
      const res = await putCues(talkId, org.speaker.cookie, body);
      expect(errorOf(res), JSON.stringify(body).slice(0, 80)).toEqual({ status: 400, code });
      expect(res.json().error.message).toMatch(message);
    }
    const badLang = await putCues(talkId, org.speaker.cookie, { cues: good }, 'english!');
    expect(errorOf(badLang)).toEqual({ status: 400, code: 'INVALID_INPUT' });
    expect((await transcript(talkId, org.speaker.cookie)).json().cues).toEqual(good);
  });

  it('takes uploaded WebVTT and SubRip files, and names the line of a broken one', async () => {
    const talkId = await newTalk();
    const srt = '1\r\n00:00:01,000 --> 00:00:03,000\r\nWelcome to the <i>all-hands</i>\r\n\r\n2\r\n00:00:03,500 --> 00:00:06,000\r\nQuarterly numbers first\r\n';
    const raw = await putFile(talkId, org.speaker.cookie, srt, 'application/x-subrip');
    expect(raw.statusCode).toBe(200);
    expect(raw.json()).toMatchObject({ source: 'upload', cues: [{ startSec: 1, endSec: 3, text: 'Welcome to the all-hands' }, { startSec: 3.5, endSec: 6, text: 'Quarterly numbers first' }] });
    expect((await transcript(talkId, org.member.cookie, 'quarterly')).json().cues).toEqual([{ startSec: 3.5, endSec: 6, text: 'Quarterly numbers first' }]);

    const vtt = 'WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nBonjour\n';
    const form = multipart(Buffer.from(vtt), 'talk.fr.vtt', 'file', 'text/vtt');
    const viaForm = await t.app.inject({ method: 'PUT', url: `/api/v1/talks/${talkId}/captions/fr`, headers: { ...form.headers, cookie: org.speaker.cookie }, payload: form.payload });
    expect(viaForm.statusCode).toBe(200);
    expect(viaForm.json()).toMatchObject({ lang: 'fr', label: 'French', source: 'upload', cues: [{ startSec: 0.5, endSec: 2, text: 'Bonjour' }] });

    const brokenVtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfine\n\n00:00:03.000 --> 00:00:4.000\nbroken\n';
    const bad = await putFile(talkId, org.speaker.cookie, brokenVtt, 'text/vtt');
    expect(errorOf(bad)).toEqual({ status: 400, code: 'INVALID_CAPTION_FILE' });
    expect(bad.json().error.message).toMatch(/Line 6: "00:00:4.000" is not a valid end time/);

    const brokenSrt = '1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:03;000 --> 00:00:04,000\nbroken\n';
    const badForm = multipart(Buffer.from(brokenSrt), 'broken.srt', 'file', 'application/x-subrip');
    const bad2 = await t.app.inject({ method: 'PUT', url: `/api/v1/talks/${talkId}/captions/en`, headers: { ...badForm.headers, cookie: org.speaker.cookie }, payload: badForm.payload });
    expect(errorOf(bad2)).toEqual({ status: 400, code: 'INVALID_CAPTION_FILE' });
    expect(bad2.json().error.message).toMatch(/Line 6: "00:00:03;000" is not a valid start time/);

    const empty = await putFile(talkId, org.speaker.cookie, '', 'text/vtt');
    expect(errorOf(empty)).toEqual({ status: 400, code: 'INVALID_CAPTION_FILE' });

    // The failed uploads changed nothing.
    expect((await transcript(talkId, org.speaker.cookie)).json().cues).toHaveLength(2);
  });

  it('lets only the talk’s speaker, a facilitator or an admin change captions', async () => {
    const talkId = await newTalk();
    const body = { cues: [{ startSec: 0, endSec: 1, text: 'Hi' }] };
    expect(errorOf(await putCues(talkId, org.member.cookie, body))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(errorOf(await putCues(talkId, org.otherSpeaker.cookie, body))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(errorOf(await putCues(talkId, '', body))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect((await putCues(talkId, org.facilitator.cookie, body)).statusCode).toBe(200);
    expect((await putCues(talkId, org.admin.cookie, body)).statusCode).toBe(200);

    const stranger = await createOrg(t.app, t.db);
    expect(errorOf(await putCues(talkId, stranger.admin.cookie, body))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await transcript(talkId, stranger.member.cookie))).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('runs the captions job in the worker as a media step, and skips a recording without sound', async () => {
    const dir = await tempDir();
    const clip = await makeClip(join(dir, 'silent.mp4'), { seconds: 3, width: 160, height: 120, audio: 'none' });
    const talkId = await newTalk('No sound');
    const upload = await uploadFile(t.app, org.speaker.cookie, talkId, clip, 'silent.mp4');
    expect(upload.statusCode).toBe(202);
    const uploadId = upload.json().uploadId as string;
    expect(['playable', 'ready']).toContain((await waitForTalk(t.app, org.speaker.cookie, talkId, 90_000)).state);

    const steps = stepsRepository(t.db);
    await steps.init(talkId, uploadId, ['captions']);
    await t.queue.enqueue('captions', { talkId, uploadId }, { jobKey: `captions:${uploadId}` });
    const deadline = Date.now() + 60_000;
    let step = await steps.get(uploadId, 'captions');
    while (step?.state !== 'done' && step?.state !== 'failed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      step = await steps.get(uploadId, 'captions');
    }
    expect(step).toMatchObject({ state: 'done', percent: 100, error: null });
    expect((await transcript(talkId, org.member.cookie)).json()).toEqual({ cues: [] });
  });

  it('lists the caption routes in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/talks/{id}/transcript', '/api/v1/talks/{id}/captions/{lang}', '/api/v1/talks/{id}/captions/{file}']));
    expect(Object.keys(doc.paths['/api/v1/talks/{id}/captions/{lang}'].put.requestBody.content)).toContain('application/json');
  });

  it('answers an empty transcript for a talk without captions', async () => {
    const talkId = await newTalk();
    expect((await transcript(talkId, org.member.cookie)).json()).toEqual({ cues: [] });
  });
});
