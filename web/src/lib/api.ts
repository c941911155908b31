// Browser-side calls: same origin, so the session cookie goes along by itself.
import type { ApiErrorBody } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'OFFLINE', 'You seem to be offline. Check your connection and try again.');
  }
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw errorFrom(response.status, body);
  return body as T;
}

export function errorFrom(status: number, body: unknown): ApiError {
  const err = (body as ApiErrorBody | undefined)?.error;
  return new ApiError(status, err?.code ?? 'UNEXPECTED', err?.message ?? `The server answered ${status}. Try again in a moment.`);
}
