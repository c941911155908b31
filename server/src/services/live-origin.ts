/**
 * Whether a WebSocket upgrade comes from our own pages. Browsers send cookies with cross-site
 * WebSocket requests, so without this check another site could open the room as the signed-in user.
 * Clients that send no Origin at all are not browsers, and still need the session cookie.
 */
export function isAllowedOrigin(origin: string | undefined, requestHost: string, publicUrl?: string): boolean {
  if (origin === undefined) return true;
  let from: URL;
  try {
    from = new URL(origin);
  } catch {
    return false;
  }
  if (publicUrl) return from.origin === new URL(publicUrl).origin;
  return from.host.toLowerCase() === requestHost.toLowerCase();
}
