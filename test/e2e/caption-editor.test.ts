import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip, tempDir } from '../support/media.ts';
import { seriousViolations } from './support/axe.ts';
import { launchBrowser } from './support/browser.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const PASSWORD = process.env.DEMO_PASSWORD || 'timeshift-demo';

interface Cue {
  startSec: number;
  endSec: number;
  text: string;
}

describe('a speaker fixes captions cue by cue, and viewers pick a caption track', () => {
  let product: RunningProduct;
  let browser: Browser;
  let clip: string;
  let talkId = '';
  const sessions: Record<string, string> = {};

  beforeAll(async () => {
    const dir = await tempDir('timeshift-e2e-captions-');
    [product, browser, clip] = await Promise.all([startProduct(), launchBrowser(), makeClip(join(dir, 'talk.mp4'), { seconds: 10, width: 320, height: 180 })]);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  async function session(email: string): Promise<string> {
    if (sessions[email]) return sessions[email];
    const res = await fetch(`${product.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    expect(res.status).toBe(200);
    return (sessions[email] = res.headers.get('set-cookie')!.split(';')[0]!);
  }

  async function call<T>(email: string, method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${product.baseUrl}/api/v1${path}`, {
      method,
      headers: { cookie: await session(email), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function signedIn(email: string, width: number): Promise<Page> {
    const context = await browser.newContext({ baseURL: product.baseUrl, viewport: { width, height: 900 } });
    await context.addCookies([{ name: 'ts_session', value: (await session(email)).split('=')[1]!, url: product.baseUrl }]);
    const page = await context.newPage();
    return page;
  }

  async function hydrated(page: Page) {
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
  }

  const transcript = async (lang: string) => (await call<{ cues: Cue[] }>('speaker@demo.test', 'GET', `/talks/${talkId}/transcript?lang=${lang}`)).cues;

  beforeAll(async () => {
    const now = Date.now();
    const meeting = await call<{ id: string }>('facilitator@demo.test', 'POST', '/meetings', {
      title: 'Caption editing check',
      windowOpensAt: new Date(now - 3600_000).toISOString(),
      windowClosesAt: new Date(now + 86400_000).toISOString(),
    });
    await call('facilitator@demo.test', 'POST', `/meetings/${meeting.id}/publish`);
    talkId = (await call<{ id: string }>('speaker@demo.test', 'POST', `/meetings/${meeting.id}/talks`, { title: 'Captions worth reading' })).id;
    const form = new FormData();
    form.append('file', new Blob([await readFile(clip)], { type: 'video/mp4' }), 'talk.mp4');
    const upload = await fetch(`${product.baseUrl}/api/v1/talks/${talkId}/source`, { method: 'POST', headers: { cookie: await session('speaker@demo.test') }, body: form });
    expect(upload.status).toBe(202);
    const deadline = Date.now() + 90_000;
    for (;;) {
      const talk = await call<{ state: string }>('speaker@demo.test', 'GET', `/talks/${talkId}`);
      if (talk.state === 'ready') break;
      if (talk.state === 'failed' || Date.now() > deadline) throw new Error(`the talk did not become ready: ${JSON.stringify(talk)}\n${product.output()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    await call('speaker@demo.test', 'PUT', `/talks/${talkId}/captions/en`, {
      cues: [
        { startSec: 0.5, endSec: 3.5, text: 'Welcom to the reveiw' },
        { startSec: 4, endSec: 9, text: 'Here is what we shipped' },
      ],
    });
    await call('speaker@demo.test', 'PUT', `/talks/${talkId}/captions/de`, { cues: [{ startSec: 0.5, endSec: 9, text: 'Willkommen zum Rückblick' }], label: 'Deutsch' });
  }, 120_000);

  it('the speaker edits a cue’s text and times against the preview, saves, and a bad time is refused next to its cue', async () => {
    const page = await signedIn('speaker@demo.test', 1440);
    await page.goto(`/studio/talks/${talkId}`);
    await hydrated(page);
    await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 1, undefined, { timeout: 30_000 });
    const editor = page.getByRole('region', { name: 'Edit captions' });
    await editor.getByLabel('Track').selectOption('en');
    const firstText = editor.getByLabel('Text of cue 1', { exact: true });
    await expect.poll(() => firstText.inputValue()).toBe('Welcom to the reveiw');

    await firstText.fill('Welcome to the review');
    await editor.getByLabel('Start of cue 1 (seconds)').fill('0.2');
    // Jumping to cue 2 moves the preview there; "Now" takes that time as cue 1's end.
    await editor.getByRole('button', { name: /^0:04\W+play cue 2 from here$/ }).click();
    await expect.poll(() => page.locator('video').evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(4, 1);
    await expect.poll(() => editor.locator('li.cue.active').count()).toBe(1);
    expect(await editor.locator('li.cue').nth(1).getAttribute('aria-current')).toBe('true');
    await editor.getByRole('button', { name: /^Now\W+set end of cue 1 to the current time$/ }).click();
    const end = Number(await editor.getByLabel('End of cue 1 (seconds)').inputValue());
    expect(end).toBeGreaterThan(3.8);
    expect(end).toBeLessThanOrEqual(4);
    await editor.getByRole('button', { name: 'Save captions' }).click();
    await editor.getByRole('status').getByText('Saved 2 cues.', { exact: false }).waitFor();
    expect(await transcript('en')).toEqual([
      { startSec: 0.2, endSec: end, text: 'Welcome to the review' },
      { startSec: 4, endSec: 9, text: 'Here is what we shipped' },
    ]);

    // A cue that ends before it starts is refused; the message stands beside that cue and nothing is saved.
    await editor.getByLabel('End of cue 2 (seconds)').fill('2');
    await editor.getByRole('button', { name: 'Save captions' }).click();
    const error = editor.locator('li.cue').nth(1).getByRole('alert');
    await expect(error.textContent()).resolves.toBe('Cue 2 ends (2 s) before it starts (4 s).');
    await expect(editor.getByLabel('Text of cue 2', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await editor.locator('li.cue').nth(0).getByRole('alert').count()).toBe(0);
    expect((await transcript('en'))[1]).toEqual({ startSec: 4, endSec: 9, text: 'Here is what we shipped' });

    // A cue can be added at the playhead and deleted again.
    await editor.getByLabel('End of cue 2 (seconds)').fill('9');
    await editor.getByRole('button', { name: 'Add a cue here' }).click();
    await expect(editor.locator('li.cue').count()).resolves.toBe(3);
    await editor.getByRole('button', { name: 'Delete cue 3' }).click();
    await expect(editor.locator('li.cue').count()).resolves.toBe(2);
  });

  it('the editor fits a phone screen and axe finds no serious violations in it', async () => {
    const page = await signedIn('speaker@demo.test', 375);
    await page.goto(`/studio/talks/${talkId}`);
    await page.getByRole('region', { name: 'Edit captions' }).getByLabel('Text of cue 1', { exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('a viewer sees the edited cue, and picks a caption track from the menu; c toggles the choice', async () => {
    const page = await signedIn('employee@demo.test', 1440);
    await page.goto(`/talks/${talkId}`);
    await hydrated(page);
    await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 1, undefined, { timeout: 30_000 });
    await page.getByRole('button', { name: /Welcome to the review/ }).waitFor();

    const menu = page.getByLabel('Caption track');
    const options = await menu.locator('option').allTextContents();
    expect(options).toEqual(['Off', ...(await call<{ captions: { label: string }[] }>('employee@demo.test', 'GET', `/talks/${talkId}/playback`)).captions.map((c) => c.label)]);
    expect(options).toContain('Deutsch');

    const showing = () => page.evaluate(() => Array.from(document.querySelector('video')!.textTracks).filter((t) => t.mode === 'showing').map((t) => t.language));
    // On by default.
    await expect.poll(showing).toHaveLength(1);

    await menu.selectOption('en');
    await expect.poll(showing).toEqual(['en']);
    // The shown English track carries the edited text.
    await page.waitForFunction(() => {
      const track = Array.from(document.querySelector('video')!.textTracks).find((t) => t.language === 'en');
      return Array.from(track?.cues ?? []).some((c) => (c as VTTCue).text === 'Welcome to the review');
    });

    await menu.selectOption({ label: 'Deutsch' });
    await expect.poll(showing).toEqual(['de']);
    await page.locator('h1').click();
    await page.keyboard.press('c');
    await expect.poll(showing).toEqual([]);
    await expect(menu.inputValue()).resolves.toBe('');
    await page.keyboard.press('c');
    await expect.poll(showing).toEqual(['de']);
    await expect(menu.inputValue()).resolves.toBe('de');
  });
});
