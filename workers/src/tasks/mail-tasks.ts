import type { JobHelpers, TaskList } from 'graphile-worker';
import type { Kysely } from 'kysely';
import type { Clock } from '@timeshift/shared/clock';
import type { Database } from '@timeshift/shared/db/schema';
import { notificationsRepository, type NotificationsRepository } from '../repositories/notifications.ts';
import { flushMail } from './mail-flush.ts';
import { smtpMailer, type Mailer } from './mail-transport.ts';
import { dueNoticesSweep, meetingNotice } from './meeting-notice.ts';

export interface NotifyDeps {
  notifications: NotificationsRepository;
  mailer: Mailer | null;
  clock: Clock;
  baseUrl: string;
  log: (message: string) => void;
}

/**
 * The outbox is swept every minute, so a mail whose flush job was lost still goes out; due notices are swept
 * every 10 minutes, so a reminder whose run-at job was lost still goes out.
 */
export function notifyCron(deps: Pick<NotifyDeps, 'mailer'>): string {
  return [...(deps.mailer ? ['* * * * * mail_flush ?max=1&jobKey=mail_flush_cron'] : []), '*/10 * * * * notices_sweep ?max=1&jobKey=notices_sweep_cron'].join('\n');
}

export function notifyDepsFromEnv(db: Kysely<Database>, clock: Clock, env: NodeJS.ProcessEnv, log: (m: string) => void): NotifyDeps {
  return {
    notifications: notificationsRepository(db),
    mailer: env.SMTP_URL ? smtpMailer(env.SMTP_URL, env.MAIL_FROM || 'Timeshift <no-reply@timeshift.local>') : null,
    clock,
    baseUrl: env.PUBLIC_URL || `http://localhost:${env.PORT || 3000}`,
    log,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function notifyTasks(deps: NotifyDeps): TaskList {
  return {
    // A worker that cannot send does not take flush jobs, so they wait for one that can.
    ...(deps.mailer
      ? {
          mail_flush: async () => {
            const { sent, failed } = await flushMail(deps);
            if (sent || failed) deps.log(`mail: ${sent} sent, ${failed} failed`);
          },
        }
      : {}),
    notices_sweep: async (_payload: unknown, helpers: JobHelpers) => {
      const queued = await dueNoticesSweep(deps);
      if (queued > 0) {
        await helpers.addJob('mail_flush', {}, { jobKey: 'mail_flush' });
        deps.log(`notices sweep: ${queued} queued`);
      }
    },
    meeting_notice: async (payload: unknown, helpers: JobHelpers) => {
      const p = payload as { meetingId?: unknown; kind?: unknown } | null;
      if (typeof p?.meetingId !== 'string' || !UUID.test(p.meetingId) || (p.kind !== 'reminder_24h' && p.kind !== 'qa_soon')) {
        helpers.logger.error(`meeting_notice: malformed payload ${JSON.stringify(payload).slice(0, 200)}`);
        return;
      }
      const outcome = await meetingNotice(deps, { meetingId: p.meetingId, kind: p.kind });
      if (outcome.queued > 0) await helpers.addJob('mail_flush', {}, { jobKey: 'mail_flush' });
      deps.log(`meeting ${p.meetingId} ${p.kind}: ${outcome.skipped ?? `${outcome.queued} queued`}`);
    },
  };
}
