import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip, tempDir } from '../support/media.ts';
import { launchBrowser } from './support/browser.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const PASSWORD = process.env.DEMO_PASSWORD || 'timeshift-demo';
const SCREENSHOTS = resolve(import.meta.dirname, '../../docs/screenshots');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const FACILITATOR_ZONE = 'America/New_York';

/** A wall-clock time in a zone, as a datetime-local input holds it ("2026-11-26T15:00"). */
function wallClock(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

describe('people use Timeshift in a real browser', () => {
  let product: RunningProduct;
  let browser: Browser;
  let clip: string;
  const contexts: Record<string, BrowserContext> = {};
  let meetingId = '';
  let talkId = '';

  beforeAll(async () => {
    const dir = await tempDir('timeshift-e2e-');
    [product, browser, clip] = await Promise.all([startProduct(), launchBrowser(), makeClip(join(dir, 'keynote.mp4'), { seconds: 10, width: 640, height: 360 })]);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  async function newContext(name: string, options: { timezoneId?: string; width?: number } = {}): Promise<BrowserContext> {
    const context = await browser.newContext({ baseURL: product.baseUrl, timezoneId: options.timezoneId ?? 'Europe/Berlin', viewport: { width: options.width ?? 1440, height: 900 } });
    contexts[name] = context;
    return context;
  }

  /** Typing before the page has hydrated could be lost, as it would for a person on a slow phone. */
  async function interactive(page: Page) {
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
  }

  async function signIn(page: Page, email: string) {
    await interactive(page);
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const refused = page.getByRole('alert');
    await Promise.race([page.waitForURL((url) => !url.pathname.startsWith('/login')), refused.waitFor()]);
    if (new URL(page.url()).pathname.startsWith('/login')) throw new Error(`sign-in as ${email} was refused: ${await refused.textContent()}`);
  }

  async function apiSession(email: string): Promise<string> {
    const res = await fetch(`${product.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    expect(res.status).toBe(200);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  }

  it('a facilitator creates a meeting, with the times read in their own time zone', async () => {
    const page = await (await newContext('facilitator', { timezoneId: FACILITATOR_ZONE })).newPage();
    await page.goto('/login');
    await signIn(page, 'facilitator@demo.test');
    await page.getByRole('link', { name: 'New meeting' }).click();
    await page.waitForURL('**/meetings/new');

    const opens = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3600_000);
    const closes = new Date(opens.getTime() + 2 * 86400_000);
    await page.getByLabel('Title').fill('Autumn all-hands <b>not bold</b>');
    await page.getByLabel('Opens', { exact: true }).fill(wallClock(opens, FACILITATOR_ZONE));
    await page.getByLabel('Closes', { exact: true }).fill(wallClock(closes, FACILITATOR_ZONE));
    await page.getByLabel(/^Join link/).fill('https://meet.example.com/all-hands');
    await page.getByRole('button', { name: 'Create meeting' }).click();
    await page.waitForURL(new RegExp(`/meetings/${UUID}$`));
    meetingId = new URL(page.url()).pathname.split('/').pop()!;

    // User text is shown as text, never as markup.
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Autumn all-hands <b>not bold</b>');
    await page.getByText('Open to watch').first().waitFor();

    const stored = await (await fetch(`${product.baseUrl}/api/v1/meetings/${meetingId}`, { headers: { cookie: await apiSession('facilitator@demo.test') } })).json();
    expect(stored.windowOpensAt).toBe(opens.toISOString());
    expect(stored.windowClosesAt).toBe(closes.toISOString());
    expect(stored.qaJoinUrl).toBe('https://meet.example.com/all-hands');
  });

  it('a speaker adds a talk, watches the upload progress reach 100 % and the talk become playable', async () => {
    expect(meetingId).not.toBe('');
    const context = await newContext('speaker');
    const page = await context.newPage();
    await page.goto(`/meetings/${meetingId}`);
    await signIn(page, 'speaker@demo.test');
    expect(new URL(page.url()).pathname).toBe(`/meetings/${meetingId}`);
    await page.getByRole('button', { name: 'Add a talk' }).click();
    await page.getByLabel('Title').fill('What we shipped this quarter');
    await page.getByRole('button', { name: 'Add talk and upload' }).click();
    await page.waitForURL(new RegExp(`/studio/talks/${UUID}$`));
    talkId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByText('Waiting for recording').waitFor();

    // A slow uplink, so the bar is seen part-way as well as at the end.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 300 * 1024 });
    await page.setInputFiles('#file-input', clip);

    const percent = page.getByTestId('upload-percent');
    await page.waitForFunction(() => {
      const n = parseInt(document.querySelector('[data-testid="upload-percent"]')?.textContent ?? '', 10);
      return n > 0 && n < 100;
    });
    await page.getByText(/\d+(\.\d)? [KM]B\/s/).waitFor();
    await page.getByText(/s left|min left/).waitFor();
    await expect(page.locator('progress').getAttribute('value').then(Number)).resolves.toBeGreaterThan(0);
    await page.waitForFunction(() => document.querySelector('[data-testid="upload-percent"]')?.textContent === '100%', undefined, { timeout: 60_000 });
    expect(await percent.textContent()).toBe('100%');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    await page.locator('.state').getByText('Ready to watch').waitFor({ timeout: 60_000 });
    const video = page.locator('video');
    await video.waitFor();
    await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 1, undefined, { timeout: 30_000 });
    expect(await video.evaluate((v: HTMLVideoElement) => Math.round(v.duration))).toBe(10);

    // Once every background step is done, the speaker replaces the automatic captions with their own file.
    const cookie = (await context.cookies()).find((c) => c.name === 'ts_session')!;
    await expect
      .poll(async () => (await (await fetch(`${product.baseUrl}/api/v1/talks/${talkId}`, { headers: { cookie: `ts_session=${cookie.value}` } })).json()).state, { timeout: 90_000, interval: 500 })
      .toBe('ready');
    const vtt = join(await tempDir('timeshift-e2e-'), 'captions.vtt');
    await writeFile(vtt, 'WEBVTT\n\n00:00:00.500 --> 00:00:03.900\nWelcome to the quarterly update\n\n00:00:04.000 --> 00:00:09.000\nHere is what we shipped\n');
    await page.getByLabel('Caption file').setInputFiles(vtt);
    await page.getByRole('button', { name: 'Upload captions' }).click();
    await page.getByText('Saved 2 captions.').waitFor();
  });

  it('a speaker reloads the studio half-way through an upload and resumes it to completion', async () => {
    expect(meetingId).not.toBe('');
    const dir = await tempDir('timeshift-e2e-');
    const bigger = await makeClip(join(dir, 'rehearsal.mp4'), { seconds: 10, width: 1280, height: 720 });
    const page = await contexts.speaker!.newPage();
    await page.goto(`/meetings/${meetingId}`);
    await page.getByRole('button', { name: 'Add a talk' }).click();
    await page.getByLabel('Title').fill('Rehearsal');
    await page.getByRole('button', { name: 'Add talk and upload' }).click();
    await page.waitForURL(new RegExp(`/studio/talks/${UUID}$`));
    await page.getByText('Uploads can be paused and survive a reload').waitFor();

    const cdp = await contexts.speaker!.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 400 * 1024 });
    await page.setInputFiles('#file-input', bigger);
    await page.waitForFunction(() => parseInt(document.querySelector('[data-testid="upload-percent"]')?.textContent ?? '', 10) >= 45, undefined, { timeout: 60_000 });

    // Pause and resume keep going from where they were.
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Paused').waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.waitForFunction(() => parseInt(document.querySelector('[data-testid="upload-percent"]')?.textContent ?? '', 10) >= 50, undefined, { timeout: 60_000 });

    await page.reload();
    const notice = page.locator('p', { hasText: /The upload of rehearsal\.mp4 stopped at\s+\d+%/ });
    await notice.waitFor({ timeout: 15_000 }).catch(async (e) => {
      const state = await page.evaluate(() => ({ text: document.querySelector('main')?.innerText, stored: Object.entries(localStorage) }));
      throw new Error(`${(e as Error).message}\n${JSON.stringify(state, null, 1)}`);
    });
    const storedPercent = Number(/stopped at\s+(\d+)%/.exec((await notice.textContent())!)![1]);
    expect(storedPercent).toBeGreaterThan(0);

    const seen: number[] = [];
    await page.exposeFunction('recordPercent', (n: number) => seen.push(n));
    await page.evaluate(() => {
      new MutationObserver(() => {
        const n = parseInt(document.querySelector('[data-testid="upload-percent"]')?.textContent ?? '', 10);
        if (Number.isFinite(n)) (window as unknown as { recordPercent(n: number): void }).recordPercent(n);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const cdpAfterReload = await contexts.speaker!.newCDPSession(page);
    await cdpAfterReload.send('Network.enable');
    await cdpAfterReload.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.setInputFiles('#file-input', bigger);
    await page.waitForFunction(() => document.querySelector('[data-testid="upload-percent"]')?.textContent === '100%', undefined, { timeout: 60_000 });
    // It continued from the stored part instead of starting again at zero.
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(storedPercent);
    await page.locator('.state').getByText('Ready to watch').waitFor({ timeout: 60_000 });
  });

  it('an employee watches the talk: Space starts it, the playhead moves, arrows and speed work', async () => {
    expect(talkId).not.toBe('');
    const page = await (await newContext('employee')).newPage();
    await page.goto('/login');
    await signIn(page, 'employee@demo.test');
    await page.getByRole('link', { name: /Autumn all-hands/ }).click();
    await page.getByRole('link', { name: 'What we shipped this quarter', exact: true }).click();
    await page.waitForURL(`**/talks/${talkId}`);
    await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 2, undefined, { timeout: 30_000 });

    await page.getByRole('button', { name: 'Captions on' }).waitFor();
    await page.getByRole('button', { name: /Welcome to the quarterly update/ }).waitFor();

    await page.keyboard.press('Space');
    await page.waitForFunction(() => (document.querySelector('video')?.currentTime ?? 0) > 1.5, undefined, { timeout: 20_000 });
    // Captions are on by default and the cue for this moment is on screen.
    await page.waitForFunction(() => {
      const track = document.querySelector('video')!.textTracks[0];
      return track?.mode === 'showing' && Array.from(track.activeCues ?? []).some((c) => (c as VTTCue).text.includes('Welcome'));
    });
    await page.keyboard.press('c');
    await page.getByRole('button', { name: 'Captions off' }).waitFor();
    expect(await page.evaluate(() => document.querySelector('video')!.textTracks[0]!.mode)).toBe('disabled');
    await page.keyboard.press('c');
    const before = await page.evaluate(() => document.querySelector('video')!.currentTime);
    await page.keyboard.press('ArrowRight');
    const after = await page.evaluate(() => document.querySelector('video')!.currentTime);
    expect(after - before).toBeGreaterThan(4);

    await page.getByLabel('Speed').selectOption('1.5');
    expect(await page.evaluate(() => document.querySelector('video')!.playbackRate)).toBe(1.5);
    await page.keyboard.press('Space');
    expect(await page.evaluate(() => document.querySelector('video')!.paused)).toBe(true);
    const pausedAt = await page.evaluate(() => document.querySelector('video')!.currentTime);

    // Pausing reports progress; the server now holds the watched part and the position.
    const cookie = (await page.context().cookies()).find((c) => c.name === 'ts_session')!;
    await expect
      .poll(async () => (await (await fetch(`${product.baseUrl}/api/v1/talks/${talkId}/progress`, { headers: { cookie: `ts_session=${cookie.value}` } })).json()).positionSec, { timeout: 10_000 })
      .toBeCloseTo(pausedAt, 0);

    // A question pinned to this moment, then a vote on it.
    await page.getByRole('button', { name: 'Ask about this moment' }).click();
    const moment = `${Math.floor(pausedAt / 60)}:${String(Math.floor(pausedAt % 60)).padStart(2, '0')}`;
    await page.getByText(`About the moment at ${moment}`).waitFor();
    await page.getByLabel('Your question').fill('Which of these colours is the <i>brand</i> one?');
    await page.getByRole('button', { name: 'Send question' }).click();
    const question = page.locator('li.question', { hasText: 'Which of these colours is the <i>brand</i> one?' });
    await question.waitFor();
    await question.getByRole('button', { name: `at ${moment} (jump there)` }).waitFor();
    await question.getByRole('button', { name: /^Vote for this question/ }).click();
    await question.getByRole('button', { name: 'Remove your vote from this question: 1 vote' }).waitFor();
    const storedQuestion = async () => {
      const listed = await (await fetch(`${product.baseUrl}/api/v1/meetings/${meetingId}/questions`, { headers: { cookie: `ts_session=${cookie.value}` } })).json();
      return listed.questions.find((q: { text: string }) => q.text.includes('brand'));
    };
    await expect.poll(storedQuestion, { timeout: 5000 }).toMatchObject({ talkId, atSec: Math.floor(pausedAt), votes: 1, votedByMe: true });
    expect(await page.getByRole('alert').count()).toBe(0);

    // Clicking the pinned moment seeks there; a reload resumes where the viewer stopped.
    await page.evaluate(() => (document.querySelector('video')!.currentTime = 0));
    await question.getByRole('button', { name: `at ${moment} (jump there)` }).click();
    expect(Math.floor(await page.evaluate(() => document.querySelector('video')!.currentTime))).toBe(Math.floor(pausedAt));
    await page.reload();
    await page.getByText(/Picked up where you left off/).waitFor();
    await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 1, undefined, { timeout: 30_000 });
    await page.waitForFunction((at) => Math.abs((document.querySelector('video')?.currentTime ?? 0) - at) < 1.5, pausedAt, { timeout: 10_000 });
  });

  it('a facilitator runs the live console and a participant sees the current question change within a second', async () => {
    expect(meetingId).not.toBe('');
    const consolePage = await contexts.facilitator!.newPage();
    await consolePage.goto(`/meetings/${meetingId}/console`);
    const participant = await contexts.employee!.newPage();
    await participant.goto(`/meetings/${meetingId}/live`);
    await participant.getByText('In the room').waitFor();

    // The participant asks in the room; the console sees it arrive.
    await participant.getByLabel('Ask a question').fill('Will the slides be shared afterwards?');
    await participant.getByRole('button', { name: 'Send' }).click();
    const row = consolePage.locator('li.question', { hasText: 'Will the slides be shared afterwards?' });
    await row.waitFor({ timeout: 5000 });

    await row.getByRole('button', { name: 'Answer now' }).click();
    const clicked = Date.now();
    await participant.getByTestId('current-question').filter({ hasText: 'Will the slides be shared afterwards?' }).waitFor({ timeout: 1000 });
    expect(Date.now() - clicked).toBeLessThan(1000);

    // "Next question" marks it answered and puts the next open question up.
    await consolePage.getByRole('button', { name: 'Next question' }).click();
    await participant.getByTestId('current-question').filter({ hasText: 'brand' }).waitFor({ timeout: 2000 });
    await participant.locator('li.question', { hasText: 'Will the slides be shared afterwards?' }).getByText('Answered').waitFor();
    await consolePage.close();
    await participant.close();
  });

  it('a signed-out visitor is sent to sign in, sees the API’s message for a wrong password, then lands where they wanted', async () => {
    expect(talkId).not.toBe('');
    const page = await (await newContext('visitor')).newPage();
    await page.goto(`/talks/${talkId}`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/talks/${talkId}`);
    expect(await page.locator('video').count()).toBe(0);

    await interactive(page);
    await page.getByLabel('Work email').fill('employee@demo.test');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('That email and password do not match');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**/talks/${talkId}`);
    await page.locator('video').waitFor();
  });

  it('a new colleague accepts an invitation, chooses a password and lands signed in', async () => {
    const admin = await apiSession('admin@demo.test');
    const email = `newcomer-${Date.now()}@demo.test`;
    const created = await fetch(`${product.baseUrl}/api/v1/invites`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: admin }, body: JSON.stringify({ email, name: 'Nia Newcomer' }) });
    expect(created.status).toBe(201);
    const token = new URL((await created.json()).inviteUrl).pathname.split('/').pop()!;

    const page = await (await newContext('newcomer', { width: 375 })).newPage();
    await page.goto(`/invite/${token}`);
    await page.getByRole('heading', { name: /^Join .+ on Timeshift$/ }).waitFor();
    await interactive(page);
    expect(await page.getByLabel('Work email').inputValue()).toBe(email);
    await page.getByLabel('Password', { exact: true }).fill('a long enough passphrase 42');
    await page.getByLabel('Password again').fill('a different passphrase 42');
    await page.getByRole('button', { name: 'Join and sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('The two passwords differ');

    await page.getByLabel('Password again').fill('a long enough passphrase 42');
    await page.getByRole('button', { name: 'Join and sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { name: 'Meetings', level: 1 }).waitFor();

    // An invitation works once.
    const again = await (await newContext('stranger')).newPage();
    await again.goto(`/invite/${token}`);
    await again.getByRole('heading', { name: 'This invitation cannot be used' }).waitFor();
  });

  it('outside the viewing window the watch page says when it closed and plays nothing', async () => {
    const facilitator = await apiSession('facilitator@demo.test');
    const json = { 'content-type': 'application/json', cookie: facilitator };
    const now = Date.now();
    const meeting = await (
      await fetch(`${product.baseUrl}/api/v1/meetings`, { method: 'POST', headers: json, body: JSON.stringify({ title: 'Last quarter review', windowOpensAt: new Date(now - 5 * 86400_000).toISOString(), windowClosesAt: new Date(now - 2 * 86400_000).toISOString() }) })
    ).json();
    const talk = await (await fetch(`${product.baseUrl}/api/v1/meetings/${meeting.id}/talks`, { method: 'POST', headers: json, body: JSON.stringify({ title: 'Numbers' }) })).json();

    const page = await contexts.employee!.newPage();
    await page.goto(`/talks/${talk.id}`);
    await page.getByText(/The viewing window closed .+\. This talk can no longer be played\./).waitFor();
    expect(await page.locator('video').count()).toBe(0);
  });

  const mainPages = (): { name: string; as: string | null; path: string; ready: string }[] => [
    { name: 'login', as: null, path: '/login', ready: 'text=Sign in to Timeshift' },
    { name: 'invite-used', as: null, path: '/invite/an-invitation-token-that-does-not-exist', ready: 'text=This invitation cannot be used' },
    { name: 'home', as: 'facilitator', path: '/', ready: 'text=Open now' },
    { name: 'new-meeting', as: 'facilitator', path: '/meetings/new', ready: 'text=Viewing window' },
    { name: 'meeting', as: 'employee', path: `/meetings/${meetingId}`, ready: 'text=Agenda' },
    { name: 'watch', as: 'employee', path: `/talks/${talkId}`, ready: 'video' },
    { name: 'studio', as: 'speaker', path: `/studio/talks/${talkId}`, ready: 'video' },
    { name: 'live-console', as: 'facilitator', path: `/meetings/${meetingId}/console`, ready: 'text=Ranked questions' },
    { name: 'live-room', as: 'employee', path: `/meetings/${meetingId}/live`, ready: 'text=In the room' },
  ];

  it('keeps screenshots of the main pages at phone and desktop widths', async () => {
    expect(talkId).not.toBe('');
    await mkdir(SCREENSHOTS, { recursive: true });
    const shots = mainPages();
    for (const width of [375, 1440]) {
      for (const shot of shots) {
        const storageState = shot.as ? await contexts[shot.as]!.storageState() : undefined;
        const context = await browser.newContext({ baseURL: product.baseUrl, timezoneId: 'Europe/Berlin', viewport: { width, height: width < 800 ? 812 : 900 }, storageState });
        const page = await context.newPage();
        await page.goto(shot.path);
        await page.locator(shot.ready).first().waitFor();
        if (shot.ready === 'video') {
          // A frame from the middle of the talk rather than a black first frame.
          await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 2, undefined, { timeout: 30_000 });
          await page.evaluate(() => {
            document.querySelector('video')!.currentTime = 4;
          });
          await page.waitForFunction(() => {
            const v = document.querySelector('video')!;
            return !v.seeking && v.readyState >= 3;
          });
        }
        await page.screenshot({ path: join(SCREENSHOTS, `${shot.name}-${width}.png`), fullPage: true });
        await context.close();
      }
    }
  });

  it('the main pages have no serious or critical accessibility violations (axe-core)', async () => {
    expect(talkId).not.toBe('');
    const found: string[] = [];
    for (const width of [375, 1440]) {
      for (const shot of mainPages()) {
        const storageState = shot.as ? await contexts[shot.as]!.storageState() : undefined;
        const context = await browser.newContext({ baseURL: product.baseUrl, viewport: { width, height: 900 }, storageState });
        const page = await context.newPage();
        await page.goto(shot.path);
        await page.locator(shot.ready).first().waitFor();
        await page.addScriptTag({ path: AXE });
        const violations = await page.evaluate(async () => {
          const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run();
          return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        });
        found.push(...violations.map((v) => `${shot.name} @${width}: ${v}`));
        await context.close();
      }
    }
    expect(found).toEqual([]);
  });
});
