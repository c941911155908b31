import { FINISHED_COMPLETION } from '@timeshift/shared/meeting-notices';
import type { NotificationsRepository } from '../repositories/notifications.ts';
import { MAX_MAIL_ATTEMPTS } from '../repositories/notifications.ts';
import { renderMail, type MeetingFacts } from './mail-render.ts';
import type { Mailer } from './mail-transport.ts';

export interface MailDeps {
  notifications: NotificationsRepository;
  /** Absent when no SMTP server is configured: mail then waits in the outbox rather than being lost. */
  mailer: Mailer | null;
  baseUrl: string;
  log: (message: string) => void;
}

/**
 * Sends what the outbox holds. A mail is claimed under a lease, sent, then marked sent; if the worker dies
 * between the send and the mark, the lease runs out and it is sent again with the same Message-ID, so a
 * crash never loses a mail and a receiving server can drop the repeat.
 */
export async function flushMail(deps: MailDeps, batch = 20): Promise<{ sent: number; failed: number }> {
  if (!deps.mailer) {
    deps.log('mail: SMTP_URL is not set; mail stays in the outbox until it is.');
    return { sent: 0, failed: 0 };
  }
  const mailer = deps.mailer;
  let sent = 0;
  let failed = 0;
  for (;;) {
    const mails = await deps.notifications.claim(batch);
    if (mails.length === 0) return { sent, failed };
    // The batch goes out side by side over the transport's pooled connections; each mail is marked on its own.
    await Promise.all(
      mails.map(async (mail) => {
        try {
          const meetingId = (mail.payload as { meetingId?: string }).meetingId;
          let facts: MeetingFacts | undefined;
          if (meetingId) {
            const meeting = await deps.notifications.meeting(meetingId);
            if (!meeting) {
              // The meeting was deleted: nothing left to announce.
              await deps.notifications.markSent(mail.id);
              return;
            }
            facts = {
              meeting,
              talkTitles: await deps.notifications.talkTitles(meeting.id),
              unfinished: mail.kind === 'reminder_24h' ? await deps.notifications.unfinishedTalks(meeting.id, mail.to_email, FINISHED_COMPLETION) : [],
            };
          }
          const rendered = renderMail(mail, deps.baseUrl, facts);
          await mailer.send({ messageId: `<${mail.id}@timeshift>`, to: mail.to_name ? `"${mail.to_name.replace(/"/g, '')}" <${mail.to_email}>` : mail.to_email, ...rendered });
          await deps.notifications.markSent(mail.id);
          sent++;
        } catch (e) {
          failed++;
          const message = e instanceof Error ? e.message : String(e);
          await deps.notifications.markFailed(mail.id, message, mail.attempts >= MAX_MAIL_ATTEMPTS);
          deps.log(`mail ${mail.id} to ${mail.to_email} failed (attempt ${mail.attempts}): ${message}`);
        }
      }),
    );
  }
}
