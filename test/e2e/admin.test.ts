import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { withOwnMail, type OwnMail } from './support/own-mail.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const PASSWORD = process.env.DEMO_PASSWORD || 'timeshift-demo';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

describe('an admin invites a newcomer and follows the invitation in the dev mailbox', () => {
  let mail: OwnMail;
  let product: RunningProduct;
  let browser: Browser;

  beforeAll(async () => {
    mail = await withOwnMail();
    [product, browser] = await Promise.all([startProduct({ env: mail.env, sendMail: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
    await mail?.stop();
  });

  async function signedIn(email: string, width = 1440): Promise<Page> {
    const context = await browser.newContext({ baseURL: product.baseUrl, timezoneId: 'Asia/Tokyo', viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto('/login');
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    return page;
  }

  async function seriousViolations(page: Page): Promise<string[]> {
    await page.addScriptTag({ path: AXE });
    return page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run();
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
  }

  it('the invitation link is shown to copy, and the mail with it arrives in the dev mailbox', async () => {
    const page = await signedIn('admin@demo.test');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL('**/admin');
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });

    const email = `newcomer-${Date.now()}@example.com`;
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Name', { exact: true }).fill('Nia Newcomer');
    await page.getByLabel('Role', { exact: true }).selectOption('speaker');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText(`Invitation sent to ${email}.`).waitFor();
    const inviteUrl = await page.getByLabel(/^Invitation link/).inputValue();
    expect(inviteUrl).toMatch(/\/invite\/[A-Za-z0-9_-]{20,}$/);
    await page.getByRole('listitem').filter({ hasText: email }).getByText('Speaker').waitFor();

    // An invitation to someone already here is refused with the API's own words, and keeps what was typed.
    await page.getByLabel('Email', { exact: true }).fill('employee@demo.test');
    await page.getByLabel('Name', { exact: true }).fill('Eve Again');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByRole('alert').filter({ hasText: 'employee@demo.test is already a member of your organisation.' }).waitFor();
    await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Eve Again');

    await page.getByRole('link', { name: 'Open the dev mailbox' }).click();
    await page.waitForURL('**/dev/mailbox');
    // The worker sends within seconds; the page shows what has arrived when it is loaded.
    const deadline = Date.now() + 30_000;
    const invitation = page.getByRole('listitem').filter({ hasText: email });
    while ((await invitation.count()) === 0) {
      if (Date.now() > deadline) throw new Error(`no mail to ${email} within 30 s:\n${product.output()}`);
      await page.waitForTimeout(500);
      await page.reload();
    }
    await invitation.getByRole('heading', { name: /invited/i }).waitFor();
    await invitation.getByText('Message').click();
    await expect(invitation.locator('pre').textContent()).resolves.toContain(inviteUrl);
    expect(await seriousViolations(page)).toEqual([]);

    // The filter narrows the list to one recipient.
    await page.getByLabel('Recipient').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('heading', { name: 'No mail to nobody@example.com' }).waitFor();
  });

  it('the admin page fits a phone and passes axe; people who are not admins are refused it', async () => {
    const phone = await signedIn('admin@demo.test', 375);
    await phone.goto('/admin');
    await phone.getByRole('heading', { name: 'Members' }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await seriousViolations(phone)).toEqual([]);

    const employee = await signedIn('employee@demo.test');
    const response = await employee.goto('/admin');
    expect(response?.status()).toBe(403);
    await employee.getByRole('heading', { name: 'Not allowed' }).waitFor();
    await expect(employee.getByRole('link', { name: 'Admin' }).count()).resolves.toBe(0);
  });
});
