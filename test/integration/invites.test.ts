import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@timeshift/shared/clock';
import { startTestApp, type TestApp } from '../support/app.ts';
import { errorOf } from '../support/http.ts';
import { createOrg, type Org } from '../support/people.ts';

describe('invitations', () => {
  const clock = new ManualClock(new Date());
  let t: TestApp;
  let org: Org;
  let other: Org;
  const invite = (cookie: string, body: object) => t.app.inject({ method: 'POST', url: '/api/v1/invites', headers: { cookie }, payload: body });
  const tokenOf = (url: string) => url.split('/invite/')[1]!;
  const accept = (token: string, body: object) => t.app.inject({ method: 'POST', url: `/api/v1/invites/${token}/accept`, payload: body });

  beforeAll(async () => {
    t = await startTestApp({ clock, publicUrl: 'https://timeshift.example.test' });
    org = await createOrg(t.app, t.db);
    other = await createOrg(t.app, t.db);
  });
  afterAll(async () => t?.close());

  it('an admin invites by email; the link sets a password, signs the person in with their role and groups, and works once', async () => {
    const group = (await t.app.inject({ method: 'POST', url: '/api/v1/groups', headers: { cookie: org.admin.cookie }, payload: { name: 'Design' } })).json();
    const email = `New.Person-${org.id.slice(0, 6)}@Example.test`;
    const res = await invite(org.admin.cookie, { email, name: 'Nia New', role: 'speaker', groupIds: [group.id] });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ email: email.toLowerCase(), role: 'speaker', groupIds: [group.id] });
    expect(created.inviteUrl).toMatch(/^https:\/\/timeshift\.example\.test\/invite\/[A-Za-z0-9_-]{40,}$/);
    expect(Date.parse(created.expiresAt) - clock.now().getTime()).toBe(7 * 24 * 3600_000);
    const queued = await t.db.selectFrom('mail_outbox').selectAll().where('kind', '=', 'invite').where('to_email', '=', email.toLowerCase()).execute();
    expect(queued).toHaveLength(1);
    expect(queued[0]!.payload).toMatchObject({ link: created.inviteUrl });

    const token = tokenOf(created.inviteUrl);
    const shown = await t.app.inject({ method: 'GET', url: `/api/v1/invites/${token}` });
    expect(shown.json()).toMatchObject({ email: email.toLowerCase(), name: 'Nia New', role: 'speaker' });
    expect(errorOf(await accept(token, { password: 'short' }))).toEqual({ status: 400, code: 'WEAK_PASSWORD' });

    const accepted = await accept(token, { password: 'a long enough password' });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().user).toMatchObject({ email: email.toLowerCase(), role: 'speaker', orgId: org.id });
    const cookie = `ts_session=${accepted.cookies.find((c) => c.name === 'ts_session')!.value}`;
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json().email).toBe(email.toLowerCase());
    const people = (await t.app.inject({ method: 'GET', url: '/api/v1/people', headers: { cookie: org.admin.cookie } })).json().people;
    expect(people.find((p: { email: string }) => p.email === email.toLowerCase())).toMatchObject({ role: 'speaker', groupIds: [group.id] });

    expect(errorOf(await accept(token, { password: 'another long password' }))).toEqual({ status: 409, code: 'INVITE_USED' });
    expect(errorOf(await t.app.inject({ method: 'GET', url: `/api/v1/invites/${token}` }))).toEqual({ status: 409, code: 'INVITE_USED' });
    expect(errorOf(await invite(org.admin.cookie, { email, name: 'Again' }))).toEqual({ status: 409, code: 'ALREADY_MEMBER' });
  });

  it('a link older than 7 days is refused and creates nobody', async () => {
    const email = `late-${org.id.slice(0, 6)}@example.test`;
    const token = tokenOf((await invite(org.admin.cookie, { email, name: 'Lou Late' })).json().inviteUrl);
    clock.advance(7 * 24 * 3600_000 + 1000);
    expect(errorOf(await accept(token, { password: 'a long enough password' }))).toEqual({ status: 400, code: 'INVITE_EXPIRED' });
    expect(await t.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined();
    clock.set(new Date());
  });

  it('an address that already belongs to another organisation cannot be invited', async () => {
    expect(errorOf(await invite(org.admin.cookie, { email: other.member.email, name: 'Poach' }))).toEqual({ status: 409, code: 'EMAIL_IN_OTHER_ORG' });
    expect(await t.db.selectFrom('invites').select('id').where('email', '=', other.member.email).executeTakeFirst()).toBeUndefined();
  });

  it('only admins invite; a new invite replaces the open one; unknown and malformed links are refused', async () => {
    expect(errorOf(await invite(org.facilitator.cookie, { email: 'x@example.test', name: 'X' }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(errorOf(await invite(org.admin.cookie, { email: 'not an email', name: 'X' }))).toEqual({ status: 400, code: 'INVALID_INPUT' });
    const email = `twice-${org.id.slice(0, 6)}@example.test`;
    const first = tokenOf((await invite(org.admin.cookie, { email, name: 'Tess' })).json().inviteUrl);
    const second = tokenOf((await invite(org.admin.cookie, { email, name: 'Tess' })).json().inviteUrl);
    expect(errorOf(await accept(first, { password: 'a long enough password' }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect((await accept(second, { password: 'a long enough password' })).statusCode).toBe(200);
    expect(errorOf(await accept('x'.repeat(43), { password: 'a long enough password' }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await accept('bad!token', { password: 'a long enough password' }))).toEqual({ status: 400, code: 'INVALID_INPUT' });
  });

  it('roles change, but the last admin stays an admin', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/people/${org.member.id}`, headers: { cookie: org.admin.cookie }, payload: { role: 'facilitator' } });
    expect(res.json()).toMatchObject({ id: org.member.id, role: 'facilitator' });
    expect(errorOf(await t.app.inject({ method: 'PATCH', url: `/api/v1/people/${org.admin.id}`, headers: { cookie: org.admin.cookie }, payload: { role: 'member' } }))).toEqual({ status: 409, code: 'LAST_ADMIN' });
    expect(errorOf(await t.app.inject({ method: 'PATCH', url: `/api/v1/people/${other.member.id}`, headers: { cookie: org.admin.cookie }, payload: { role: 'admin' } }))).toEqual({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('the admin command line', () => {
  it('creates the first admin of a new organisation, who can sign in; a taken address is refused', async () => {
    const { execFile } = await import('node:child_process');
    const run = (args: string[]) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], { env: { ...process.env, ADMIN_PASSWORD: 'first admin password' } }, (err, stdout, stderr) =>
          resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
        );
      });
    const email = `cli-${Date.now()}@example.test`;
    const made = await run(['create', '--email', email, '--name', 'Cleo CLI', '--org', `CLI org ${Date.now()}`]);
    expect(made).toMatchObject({ code: 0 });
    expect(made.out).toContain(`${email} is an admin`);
    const t = await startTestApp();
    try {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'first admin password' } });
      expect(res.json().user).toMatchObject({ email, role: 'admin' });
    } finally {
      await t.close();
    }
    const again = await run(['create', '--email', email, '--name', 'Cleo CLI', '--org', 'Other']);
    expect(again.code).toBe(1);
    expect(again.out).toContain('already has an account');
    expect((await run(['create', '--email', email])).out).toContain('Usage: npm run admin');
  });
});
