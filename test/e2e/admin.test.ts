import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.ts';
import { launchBrowser } from './support/browser.ts';
import { withOwnMail, type OwnMail } from './support/own-mail.ts';
import { startProduct, type RunningProduct } from './support/product.ts';

const PASSWORD = process.env.DEMO_PASSWORD || 'timeshift-demo';

describe('admins manage people on /admin and follow the mail in the dev mailbox', () => {
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
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText(/^(Copied to the clipboard\.|The link is selected)/).waitFor();
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

  it('groups are made and filled, roles changed, and the last admin kept', async () => {
    const page = await signedIn('admin@demo.test');
    await page.goto('/admin');
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });

    await page.getByLabel('New group').fill('Engineering');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByText('Group created.').waitFor();
    const group = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /^Engineering/ }) });
    await group.getByLabel('Add a person to Engineering').selectOption({ label: 'Eli Employee' });
    await group.getByRole('button', { name: 'Add' }).click();
    await group.getByRole('button', { name: 'Remove Eli Employee from Engineering' }).waitFor();
    const eli = page.getByRole('region', { name: /Members/ }).getByRole('listitem').filter({ hasText: 'employee@demo.test' });
    await eli.getByText('Engineering').waitFor();

    // The same name again is refused with the API's message.
    await page.getByLabel('New group').fill('engineering');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('alert').filter({ hasText: /already/i }).waitFor();

    await group.getByRole('button', { name: 'Remove Eli Employee from Engineering' }).click();
    await group.getByText('Nobody in this group yet.').waitFor();
    await group.getByRole('button', { name: 'Delete the group Engineering' }).click();
    await page.getByText('Group deleted.').waitFor();
    await expect(page.getByRole('heading', { name: /^Engineering/ }).count()).resolves.toBe(0);

    await eli.getByLabel('Role of Eli Employee', { exact: true }).selectOption('speaker');
    await eli.getByRole('button', { name: 'Save the role of Eli Employee' }).click();
    await page.getByText('Role saved.').waitFor();
    await page.reload();
    await expect(eli.getByLabel('Role of Eli Employee', { exact: true }).inputValue()).resolves.toBe('speaker');

    const me = page.getByRole('region', { name: /Members/ }).getByRole('listitem').filter({ hasText: 'admin@demo.test' });
    await me.getByLabel('Role of Ada Admin', { exact: true }).selectOption('member');
    await me.getByRole('button', { name: 'Save the role of Ada Admin' }).click();
    await page.getByRole('alert').filter({ hasText: 'only admin' }).waitFor();
    await page.reload();
    await expect(me.getByLabel('Role of Ada Admin', { exact: true }).inputValue()).resolves.toBe('admin');
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
