import { redirect, type Handle } from '@sveltejs/kit';
import { callApi, SESSION_COOKIE } from '$lib/server/api';
import { isCrossSiteForm, isHttps } from '$lib/server/origin';
import { resolveTimeZone, TIME_ZONE_COOKIE } from '$lib/server/time-zone';
import type { User } from '$lib/types';

// Pages anyone may open; every other page sends a signed-out visitor to sign in first.
const PUBLIC_PATHS = ['/login', '/invite/'];

export const handle: Handle = async ({ event, resolve }) => {
  if (isCrossSiteForm(event.request)) {
    return new Response('Forms can only be sent from this site.', { status: 403, headers: { 'content-type': 'text/plain' } });
  }
  event.locals.timeZone = resolveTimeZone(event.cookies.get(TIME_ZONE_COOKIE));
  event.locals.user = null;
  if (event.cookies.get(SESSION_COOKIE)) {
    const me = await callApi<User>(event, '/me');
    if (me.ok) event.locals.user = me.data;
    else if (me.status === 401) event.cookies.delete(SESSION_COOKIE, { path: '/', secure: isHttps(event.request) });
  }
  const path = event.url.pathname;
  if (!event.locals.user && !PUBLIC_PATHS.some((p) => path === p || path.startsWith(p))) {
    const next = path === '/' ? '' : `?next=${encodeURIComponent(path + event.url.search)}`;
    redirect(303, `/login${next}`);
  }
  return resolve(event);
};
