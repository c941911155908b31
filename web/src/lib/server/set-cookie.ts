export interface RelayedCookie {
  name: string;
  value: string;
  expires?: Date;
  secure: boolean;
}

/** Reads the parts of a Set-Cookie header the web app needs to set the same cookie on the browser. */
export function parseSetCookie(header: string): RelayedCookie | undefined {
  const [pair, ...attributes] = header.split(';');
  const eq = pair?.indexOf('=') ?? -1;
  if (!pair || eq <= 0) return undefined;
  const cookie: RelayedCookie = { name: pair.slice(0, eq).trim(), value: decodeURIComponent(pair.slice(eq + 1).trim()), secure: false };
  for (const attribute of attributes) {
    const [key = '', ...rest] = attribute.split('=');
    const name = key.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (name === 'secure') cookie.secure = true;
    else if (name === 'expires') {
      const d = new Date(value);
      if (!Number.isNaN(d.getTime())) cookie.expires = d;
    } else if (name === 'max-age' && Number.isFinite(Number(value))) {
      cookie.expires = new Date(Date.now() + Number(value) * 1000);
    }
  }
  return cookie;
}
