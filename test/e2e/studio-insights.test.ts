import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip, tempDir } from '../support/media.ts';
import { seriousViolations } from './support/axe.ts';
import { launchBrowser } from './support/browser.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const PASSWORD = process.env.DEMO_PASSWORD || 'timeshift-demo';

describe('a speaker sees who watched, and viewers see seek-bar previews', () => {
  let product: RunningProduct;
  let browser: Browser;
  let clip: string;
  let talkId = '';
  const sessions: Record<string, string> = {};

  beforeAll(async () => {
    const dir = await tempDir('timeshift-e2e-studio-');
    [product, browser, clip] = await Promise.all([startProduct(), launchBrowser(), makeClip(join(dir, 'talk.mp4'), { seconds: 20, width: 320, height: 180 })]);
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

  async function signedIn(email: string, width = 1440): Promise<Page> {
    const context = await browser.newContext({ baseURL: product.baseUrl, viewport: { width, height: 900 } });
    await context.addCookies([{ name: 'ts_session', value: (await session(email)).split('=')[1]!, url: product.baseUrl }]);
    return context.newPage();
  }

  it('a talk with no viewers says so; once someone watches, the figures and the retention chart show it', async () => {
    const now = Date.now();
    const meeting = await call<{ id: string }>('facilitator@demo.test', 'POST', '/meetings', {
      title: 'Studio insight check',
      windowOpensAt: new Date(now - 3600_000).toISOString(),
      windowClosesAt: new Date(now + 86400_000).toISOString(),
    });
    await call('facilitator@demo.test', 'POST', `/meetings/${meeting.id}/publish`);
    talkId = (await call<{ id: string }>('speaker@demo.test', 'POST', `/meetings/${meeting.id}/talks`, { title: 'Where people stop watching' })).id;
    const form = new FormData();
    form.append('file', new Blob([await readFile(clip)], { type: 'video/mp4' }), 'talk.mp4');
    const upload = await fetch(`${product.baseUrl}/api/v1/talks/${talkId}/source`, { method: 'POST', headers: { cookie: await session('speaker@demo.test') }, body: form });
    expect(upload.status).toBe(202);
    const deadline = Date.now() + 90_000;
    for (;;) {
      const talk = await call<{ state: string; steps?: { step: string; state: string }[] }>('speaker@demo.test', 'GET', `/talks/${talkId}`);
      if (talk.steps?.some((s) => s.step === 'storyboard' && s.state === 'done')) break;
      if (talk.state === 'failed' || Date.now() > deadline) throw new Error(`the talk did not get its storyboard: ${JSON.stringify(talk)}\n${product.output()}`);
      await new Promise((r) => setTimeout(r, 500));
    }

    const studio = await signedIn('speaker@demo.test');
    await studio.goto(`/studio/talks/${talkId}`);
    const audience = studio.getByRole('region', { name: 'Audience' });
    await audience.getByText('Nobody has watched this talk yet.', { exact: false }).waitFor();
    await expect(audience.getByRole('img').count()).resolves.toBe(0);

    // One viewer watches it all and the first ten seconds again; another stops after six seconds.
    await call('employee@demo.test', 'POST', `/talks/${talkId}/progress`, { ranges: [[0, 20]], positionSec: 20 });
    await call('employee@demo.test', 'POST', `/talks/${talkId}/progress`, { ranges: [[0, 10]], positionSec: 10 });
    await call('admin@demo.test', 'POST', `/talks/${talkId}/progress`, { ranges: [[0, 6]], positionSec: 6 });

    await studio.reload();
    await audience.getByRole('img', { name: /Who watched each part/ }).waitFor();
    const figure = (term: string) => audience.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd').textContent();
    await expect(figure('Viewers')).resolves.toBe('2');
    const insights = await call<{ averageCompletion: number; retention: { share: number; rewatchers: number }[] }>('speaker@demo.test', 'GET', `/talks/${talkId}/insights`);
    await expect(figure('Average completion')).resolves.toBe(`${Math.round(insights.averageCompletion * 100)}%`);
    // One bar per bucket, as tall as its share of viewers.
    const bars = await audience.locator('rect.watched').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('height'))));
    expect(bars).toEqual(insights.retention.map((b) => b.share * 100));
    expect(bars[0]).toBe(100);
    expect(bars[1]).toBe(50);
    await audience.getByText(/Watched again most: 0:00–0:10, by 1 person/).waitFor();
    await audience.getByText('Show as a table').click();
    await expect(audience.getByRole('row').count()).resolves.toBe(insights.retention.length + 1);
    expect(await seriousViolations(studio)).toEqual([]);
  });

  it('hovering the seek bar shows the storyboard tile for that moment', async () => {
    expect(talkId).not.toBe('');
    const page = await signedIn('employee@demo.test', 375);
    await page.goto(`/talks/${talkId}`);
    const seek = page.getByRole('slider', { name: 'Seek' });
    await expect.poll(() => seek.isEnabled(), { timeout: 20_000 }).toBe(true);
    const duration = await page.locator('video').evaluate((v: HTMLVideoElement) => v.duration);
    const box = (await seek.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.63, box.y + box.height / 2);
    const tile = page.locator('.seek .tile');
    await tile.waitFor();

    const { storyboardUrl } = await call<{ storyboardUrl: string }>('employee@demo.test', 'GET', `/talks/${talkId}/playback`);
    const vtt = await (await fetch(storyboardUrl)).text();
    const at = 0.63 * duration;
    const cues = [...vtt.matchAll(/(\d+):(\d+):(\d+\.\d+) --> (\d+):(\d+):(\d+\.\d+)\n\S+#xywh=(\d+),(\d+),(\d+),(\d+)/g)].map((m) => ({
      start: +m[1]! * 3600 + +m[2]! * 60 + +m[3]!,
      end: +m[4]! * 3600 + +m[5]! * 60 + +m[6]!,
      xywh: [+m[7]!, +m[8]!, +m[9]!, +m[10]!],
    }));
    const cue = cues.find((c) => c.start <= at && at < c.end)!;
    expect(cue).toBeDefined();
    const shown = await tile.evaluate((el) => {
      const style = getComputedStyle(el);
      return { position: style.backgroundPosition, image: style.backgroundImage, width: style.width, height: style.height };
    });
    expect(shown.position).toBe(`${-cue.xywh[0]!}px ${-cue.xywh[1]!}px`);
    expect(shown.image).toContain('storyboard');
    expect(shown.width).toBe(`${cue.xywh[2]}px`);
    expect(shown.height).toBe(`${cue.xywh[3]}px`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    // Leaving the bar hides the preview; the keyboard moves the video.
    await page.mouse.move(0, 0);
    await tile.waitFor({ state: 'detached' });
    await seek.focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.locator('video').evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(duration - 1.5);
  });
});
