import { caughtMail } from '$lib/server/dev-mailbox';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const to = event.url.searchParams.get('to')?.trim().slice(0, 320) || '';
  const mailbox = await caughtMail(event, { to: to || undefined });
  if ('unavailable' in mailbox) return { to, unavailable: mailbox.unavailable, messages: [] };
  const messages = mailbox.messages.map((m) => {
    const calendar = m.attachments.find((a) => a.contentType.startsWith('text/calendar') || a.filename?.toLowerCase().endsWith('.ics'));
    return {
      id: m.id,
      receivedAt: m.receivedAt,
      from: m.from,
      to: m.to,
      subject: m.subject,
      text: m.text,
      calendar: calendar
        ? {
            filename: calendar.filename ?? 'invite.ics',
            // A data: link lets the reader open the .ics as it was sent, without another route.
            href: calendar.encoding === 'base64' ? `data:text/calendar;base64,${calendar.content}` : `data:text/calendar;charset=utf-8,${encodeURIComponent(calendar.content)}`,
          }
        : null,
    };
  });
  return { to, unavailable: null, messages };
};
