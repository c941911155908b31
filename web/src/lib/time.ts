// Times are stored in UTC and always shown in the viewer's own time zone.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = timeZone + JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
    formatters.set(key, f);
  }
  return f;
}

/** "Thu 26 Nov, 15:00" */
export function formatWhen(iso: string, timeZone: string): string {
  return formatter(timeZone, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** "15:00" */
export function formatClock(iso: string, timeZone: string): string {
  return formatter(timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** "Europe/Berlin" -> "Berlin time"; UTC stays "UTC". */
export function zoneLabel(timeZone: string): string {
  if (timeZone === 'UTC') return 'UTC';
  return `${timeZone.split('/').pop()!.replaceAll('_', ' ')} time`;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "in 2 days", "in 3 hours", "5 minutes ago": coarse on purpose, a deadline needs no seconds. */
export function fromNow(iso: string, now: number): string {
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  const minute = 60_000;
  const hour = 60 * minute;
  const day = 24 * hour;
  if (abs >= 2 * day) return relative.format(Math.round(diff / day), 'day');
  if (abs >= 2 * hour) return relative.format(Math.round(diff / hour), 'hour');
  if (abs >= minute) return relative.format(Math.round(diff / minute), 'minute');
  return diff >= 0 ? 'in less than a minute' : 'just now';
}

/** "12:34" or "1:02:03" */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** A datetime-local value ("2026-11-26T15:00") read in the browser's own zone, as a UTC ISO string. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A Date as a datetime-local value in the browser's own zone. */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
