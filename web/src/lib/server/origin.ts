import type { RequestEvent } from '@sveltejs/kit';

// The web app runs inside the API process, behind it on the same socket, so SvelteKit cannot know
// whether the visitor used http or https (adapter-node assumes https). These read what the
// visitor actually used: a TLS-terminating proxy says so in X-Forwarded-Proto.

function firstValue(header: string | null): string | undefined {
  return header?.split(',')[0]?.trim() || undefined;
}

export function visitorHost(request: Request): string | undefined {
  return firstValue(request.headers.get('x-forwarded-host')) ?? firstValue(request.headers.get('host'));
}

export function isHttps(request: Request): boolean {
  return firstValue(request.headers.get('x-forwarded-proto')) === 'https';
}

export function visitorOrigin(event: Pick<RequestEvent, 'request'>): string {
  return `${isHttps(event.request) ? 'https' : 'http'}://${visitorHost(event.request) ?? 'localhost'}`;
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** A form POST from another site (cross-site request forgery), which SvelteKit's own check would catch. */
export function isCrossSiteForm(request: Request): boolean {
  if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return false;
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!FORM_TYPES.includes(type)) return false;
  const origin = request.headers.get('origin');
  if (!origin) return false;
  try {
    return new URL(origin).host !== visitorHost(request);
  } catch {
    return true;
  }
}
