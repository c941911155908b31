import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Playlists are fetched by hls.js and ffprobe, which carry no session cookie, so access rides on a
 * short signed token minted by GET /playback. It names one talk and expires with the presigned URLs.
 */
export interface PlaybackGrant {
  talkId: string;
  userId: string;
  orgId: string;
  expiresAt: Date;
}

function mac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

export function signPlaybackToken(grant: PlaybackGrant, secret: string): string {
  const body = Buffer.from(JSON.stringify({ t: grant.talkId, u: grant.userId, o: grant.orgId, e: Math.floor(grant.expiresAt.getTime() / 1000) })).toString('base64url');
  return `${body}.${mac(secret, body)}`;
}

/** The grant a token carries, or undefined when it is forged, malformed, for another talk or expired. */
export function verifyPlaybackToken(token: string, talkId: string, now: Date, secret: string): PlaybackGrant | undefined {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return undefined;
  const expected = Buffer.from(mac(secret, body));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  let parsed: { t?: unknown; u?: unknown; o?: unknown; e?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (parsed.t !== talkId || typeof parsed.u !== 'string' || typeof parsed.o !== 'string' || typeof parsed.e !== 'number') return undefined;
  const expiresAt = new Date(parsed.e * 1000);
  if (expiresAt.getTime() <= now.getTime()) return undefined;
  return { talkId, userId: parsed.u, orgId: parsed.o, expiresAt };
}
