import type { RequestEvent } from '@sveltejs/kit';
import { SESSION_COOKIE } from './api';
import { parseSetCookie } from './set-cookie';
import { resolveTimeZone, TIME_ZONE_COOKIE } from './time-zone';

/**
 * Sets on the browser the session cookie that the API set on the web server's call, so that the
 * browser holds the same HttpOnly session as if it had called the API itself. False if there was none.
 */
export function relaySession(event: Pick<RequestEvent, 'cookies'>, response: Response, timeZone?: FormDataEntryValue | null): boolean {
  const session = response.headers
    .getSetCookie()
    .map(parseSetCookie)
    .find((c) => c?.name === SESSION_COOKIE);
  if (!session) return false;
  event.cookies.set(SESSION_COOKIE, session.value, { path: '/', httpOnly: true, sameSite: 'lax', secure: session.secure, expires: session.expires });
  if (typeof timeZone === 'string' && timeZone) {
    event.cookies.set(TIME_ZONE_COOKIE, resolveTimeZone(timeZone), { path: '/', httpOnly: false, sameSite: 'lax', secure: session.secure, maxAge: 31_536_000 });
  }
  return true;
}
