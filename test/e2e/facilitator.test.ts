import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.ts';
import { launchBrowser } from './support/browser.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const PASSWORD = process.env.DEMO_PASSWORD || 'timeshift-demo';
const ZONE = 'America/New_York';

/** A wall-clock time in a zone, as a datetime-local input holds it. */
function wallClock(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

describe('a facilitator manages a meeting in a real browser', () => {
  let product: RunningProduct;
  let browser: Browser;
  let page: Page;
  const cookies: Record<string, string> = {};
  let meetingId = '';
  let groupId = '';
  let employee: { id: string; name: string; email: string };

  async function call<T>(who: string, method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${product.baseUrl}/api/v1${path}`, {
      method,
      headers: { cookie: cookies[who]!, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} as ${who}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  beforeAll(async () => {
    [product, browser] = await Promise.all([startProduct(), launchBrowser()]);
    for (const who of ['admin', 'facilitator', 'employee']) {
      const res = await fetch(`${product.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `${who}@demo.test`, password: PASSWORD }) });
      expect(res.status).toBe(200);
      cookies[who] = res.headers.get('set-cookie')!.split(';')[0]!;
    }
    const { people } = await call<{ people: { id: string; name: string; email: string }[] }>('facilitator', 'GET', '/people');
    employee = people.find((p) => p.email === 'employee@demo.test')!;
    groupId = (await call<{ id: string }>('admin', 'POST', '/groups', { name: `Night shift ${randomUUID().slice(0, 8)}` })).id;
    await call('admin', 'PUT', `/groups/${groupId}/members/${employee.id}`);
    const opens = new Date(Date.now() - 3600_000);
    const meeting = await call<{ id: string }>('facilitator', 'POST', '/meetings', {
      title: `Quarterly review ${randomUUID().slice(0, 8)}`,
      windowOpensAt: opens.toISOString(),
      windowClosesAt: new Date(opens.getTime() + 2 * 86400_000).toISOString(),
    });
    meetingId = meeting.id;
    await call('facilitator', 'POST', `/meetings/${meetingId}/talks`, { title: 'Numbers for the quarter' });

    const context = await browser.newContext({ baseURL: product.baseUrl, timezoneId: ZONE, viewport: { width: 375, height: 800 } });
    page = await context.newPage();
    await page.goto('/login');
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await page.getByLabel('Work email').fill('facilitator@demo.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  async function openMeeting() {
    await page.goto(`/meetings/${meetingId}`);
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
  }

  it('changes the close time, read in their own zone, and the audience to a group', async () => {
    await openMeeting();
    const manage = page.getByRole('region', { name: 'Manage' });

    // A close before the opening is refused with the API's own words, and nothing changes.
    await manage.getByLabel('Window closes').fill(wallClock(new Date(Date.now() - 5 * 3600_000), ZONE));
    await manage.getByRole('button', { name: 'Save changes' }).click();
    const refused = manage.getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).not.toMatch(/INVALID|^\s*$/);

    const closes = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 3 * 86400_000);
    await manage.getByLabel('Window closes').fill(wallClock(closes, ZONE));
    await manage.getByLabel('Only some groups').check();
    const group = await call<{ groups: { id: string; name: string }[] }>('facilitator', 'GET', '/groups');
    await manage.getByLabel(new RegExp(group.groups.find((g) => g.id === groupId)!.name)).check();
    await manage.getByRole('button', { name: 'Save changes' }).click();
    await manage.getByRole('status').filter({ hasText: 'Changes saved' }).waitFor();

    const meeting = await call<{ windowClosesAt: string; audience: string; audienceGroupIds: string[] }>('facilitator', 'GET', `/meetings/${meetingId}`);
    expect(meeting.windowClosesAt).toBe(closes.toISOString());
    expect(meeting.audience).toBe('groups');
    expect(meeting.audienceGroupIds).toEqual([groupId]);
  });

  it('approves a pending question in the moderation queue', async () => {
    await openMeeting();
    await page.getByRole('link', { name: 'Moderation queue' }).click();
    await page.waitForURL(`**/meetings/${meetingId}/moderation`);
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    const toggle = page.getByLabel('Require approval before a question is shown');
    await expect.poll(() => toggle.isEnabled()).toBe(true);
    await toggle.check();
    await page.getByRole('button', { name: 'Save setting' }).click();
    await page.getByRole('status').filter({ hasText: 'wait for your approval' }).waitFor();

    const asked = await call<{ id: string; status: string }>('employee', 'POST', `/meetings/${meetingId}/questions`, { text: 'Will the bonus scheme change?' });
    expect(asked.status).toBe('pending');

    await page.reload();
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    const waiting = page.getByRole('region', { name: /Waiting for approval/ });
    await waiting.getByText('Will the bonus scheme change?', { exact: true }).waitFor();
    await waiting.getByRole('button', { name: /^Approve\b.*Will the bonus scheme change\?/ }).click();
    await page.getByRole('status').filter({ hasText: 'Question approved' }).waitFor();
    await waiting.getByText('Nothing is waiting.').waitFor();

    const { questions } = await call<{ questions: { id: string; status: string }[] }>('employee', 'GET', `/meetings/${meetingId}/questions`);
    expect(questions.find((q) => q.id === asked.id)?.status).toBe('approved');
  });

  it('sees who in the audience has not watched', async () => {
    await openMeeting();
    const report = page.getByRole('region', { name: 'Who has watched' });
    const notWatched = report.getByRole('listitem').filter({ hasText: employee.email });
    await notWatched.waitFor();
    expect(await notWatched.textContent()).toContain(employee.name);
    await report.getByRole('heading', { name: 'Not watched yet (1)' }).waitFor();
  });

  it('sees each talk of an open meeting with their own progress on the home page', async () => {
    const { title } = await call<{ title: string }>('facilitator', 'GET', `/meetings/${meetingId}`);
    await page.goto('/');
    const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: title }) });
    const talk = card.getByRole('list', { name: `My progress in ${title}` }).getByRole('listitem');
    await talk.filter({ hasText: 'Numbers for the quarter' }).waitFor();
    expect(await talk.textContent()).toContain('Not started');
  });

  it('the meeting and moderation pages have no serious accessibility violations at phone and desktop widths', async () => {
    const found: string[] = [];
    for (const width of [375, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      for (const path of [`/meetings/${meetingId}`, `/meetings/${meetingId}/moderation`]) {
        await page.goto(path);
        await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
        found.push(...(await seriousViolations(page)).map((v) => `${path} @${width}: ${v}`));
      }
    }
    expect(found).toEqual([]);
  });
});
