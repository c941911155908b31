import type { RequestEvent } from '@sveltejs/kit';
import { callApi } from './api';

export interface CaughtMail {
  id: string;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  attachments: { filename?: string; contentType: string; content: string; encoding: string }[];
}

type Caller = Pick<RequestEvent, 'cookies' | 'getClientAddress'>;

/**
 * The mail the embedded SMTP server caught, or `null` when the API has no dev mailbox (it exists only in
 * embedded mode, so a 404 means "this install sends real mail").
 */
export async function caughtMail(event: Caller, query: { to?: string; limit?: number } = {}): Promise<{ messages: CaughtMail[] } | { unavailable: string }> {
  const params = new URLSearchParams();
  if (query.to) params.set('to', query.to);
  params.set('limit', String(query.limit ?? 100));
  const result = await callApi<{ messages: CaughtMail[] }>(event, `/dev/mailbox?${params}`);
  if (result.ok) return result.data;
  if (result.status === 404) return { unavailable: 'This Timeshift sends mail through a real mail server, so there is no dev mailbox. The mailbox only exists when Timeshift runs in embedded mode (npm start without SMTP settings).' };
  return { unavailable: result.message };
}
