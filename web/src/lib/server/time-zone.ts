export const TIME_ZONE_COOKIE = 'ts_tz';

/** A time zone the runtime knows, or UTC: the cookie is the browser's word and may be anything. */
export function resolveTimeZone(candidate: string | undefined): string {
  if (!candidate || candidate.length > 64) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: candidate });
    return candidate;
  } catch {
    return 'UTC';
  }
}
