import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { errorOf } from '../support/http.ts';
import { createOrg, PASSWORD, type Org } from '../support/people.ts';

describe('sign-in and sessions', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrg(t.app, t.db);
  });
  afterAll(() => t?.close());

  it('signs in with email and password, sets an HttpOnly SameSite=Lax cookie, and /me answers who I am', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: org.speaker.email.toUpperCase(), password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toEqual({ id: org.speaker.id, email: org.speaker.email, name: expect.any(String), orgId: org.id, role: 'speaker' });
    const cookie = res.cookies.find((c) => c.name === 'ts_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `ts_session=${cookie.value}` } });
    expect(me.json()).toMatchObject({ id: org.speaker.id, orgId: org.id, role: 'speaker' });
  });

  it('stores only a hash of the session token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: org.member.email, password: PASSWORD } });
    const token = res.cookies.find((c) => c.name === 'ts_session')!.value;
    const raw = await t.db.selectFrom('sessions').select('id').where('id', '=', token).executeTakeFirst();
    expect(raw).toBeUndefined();
  });

  it('refuses a wrong password or an unknown email with the same 401', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: org.member.email, password: 'nope' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@example.test', password: 'nope' } });
    expect(errorOf(wrong)).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(unknown.json()).toEqual(wrong.json());
  });

  it.each([
    ['an empty body', {}],
    ['a missing password', { email: 'a@b.c' }],
    ['a number for the email', { email: 5, password: 'x' }],
    ['an over-long password', { email: 'a@b.c', password: 'x'.repeat(2000) }],
  ])('answers 400 INVALID_INPUT to %s', async (_name, payload) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
    expect(errorOf(res)).toEqual({ status: 400, code: 'INVALID_INPUT' });
    expect(res.json().error.message).toMatch(/Check your input/);
  });

  it('answers 400 INVALID_JSON to a body that is not JSON', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: '{"email":', headers: { 'content-type': 'application/json' } });
    expect(errorOf(res)).toEqual({ status: 400, code: 'INVALID_JSON' });
  });

  it('answers 401 to /me without a session, and after logout', async () => {
    expect(errorOf(await t.app.inject({ method: 'GET', url: '/api/v1/me' }))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: org.admin.email, password: PASSWORD } });
    const cookie = `ts_session=${res.cookies.find((c) => c.name === 'ts_session')!.value}`;
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode).toBe(200);
    expect(errorOf(await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } }))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('answers 401 to a forged session cookie', async () => {
    expect(errorOf(await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: 'ts_session=forged' } }))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('serves the OpenAPI document without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/talks/{id}/source', '/api/v1/talks/{id}/playback']));
  });

  it('answers 404 with the error body for an unknown API route', async () => {
    expect(errorOf(await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' }))).toEqual({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('login rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ loginPerMinute: 3 });
  });
  afterAll(() => t?.close());

  it('answers 429 RATE_LIMITED after too many attempts from one address', async () => {
    const attempt = () => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'x@example.test', password: 'guess' }, remoteAddress: '10.9.8.7' });
    for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
    const limited = await attempt();
    expect(errorOf(limited)).toEqual({ status: 429, code: 'RATE_LIMITED' });
    expect(limited.json().error.message).toMatch(/Try again in \d+ s/);
    // Another address is not affected.
    const other = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'x@example.test', password: 'guess' }, remoteAddress: '10.9.8.8' });
    expect(other.statusCode).toBe(401);
  });
});
