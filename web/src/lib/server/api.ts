// Server-side calls to the API, on its internal address, carrying the viewer's own session.
import { error as kitError, type RequestEvent } from '@sveltejs/kit';
import type { ApiErrorBody } from '$lib/types';

export const SESSION_COOKIE = 'ts_session';

function apiBase(): string {
  return process.env.API_INTERNAL_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
}

export type ApiResult<T> = { ok: true; status: number; data: T; response: Response } | { ok: false; status: number; code: string; message: string; response?: Response };

type Caller = Pick<RequestEvent, 'cookies' | 'getClientAddress'>;

export async function callApi<T>(event: Caller, path: string, init: { method?: string; body?: unknown } = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const session = event.cookies.get(SESSION_COOKIE);
  if (session) headers.cookie = `${SESSION_COOKIE}=${session}`;
  // The API rate-limits sign-ins per address; without this every visitor would share the web server's.
  try {
    headers['x-forwarded-for'] = event.getClientAddress();
  } catch {
    // No client address is known (for example in a prerender); the API then sees the web server's.
  }
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${apiBase()}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    return { ok: false, status: 503, code: 'API_UNREACHABLE', message: 'Timeshift’s server cannot be reached right now. Try again in a moment.' };
  }
  const text = await response.text();
  const body = text ? safeJson(text) : undefined;
  if (response.ok) return { ok: true, status: response.status, data: body as T, response };
  const err = (body as ApiErrorBody | undefined)?.error;
  return {
    ok: false,
    status: response.status,
    code: err?.code ?? 'UNEXPECTED',
    message: err?.message ?? `The server answered ${response.status}. Try again in a moment.`,
    response,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** For load functions: the data, or the API's own error page (message included). */
export async function loadFromApi<T>(event: Caller, path: string): Promise<T> {
  const result = await callApi<T>(event, path);
  if (!result.ok) kitError(result.status, { message: result.message, code: result.code });
  return result.data;
}
