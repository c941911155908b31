import type { Clock } from '@timeshift/shared/clock';
import type { JobPayloads } from '@timeshift/shared/jobs';
import type { NotificationsRepository } from '../repositories/notifications.ts';
import { FINISHED_COMPLETION, QA_NOTICE_BEFORE_MS, REMINDER_BEFORE_CLOSE_MS } from '@timeshift/shared/meeting-notices';
// A job may start a little early or late; outside this slack it belongs to an older schedule and is skipped.
const EARLY_SLACK_MS = 60_000;

export interface NoticeDeps {
  notifications: NotificationsRepository;
  clock: Clock;
}

/**
 * Runs at the time the API scheduled (graphile-worker run-at, keyed per meeting). The meeting is read again:
 * if its times moved, this run is for a schedule that no longer exists and does nothing; the moved job sends.
 * Queued mails are keyed by meeting, notice time and person, so a rerun sends nobody a second notice.
 */
export async function meetingNotice(deps: NoticeDeps, job: JobPayloads['meeting_notice']): Promise<{ queued: number; skipped?: string }> {
  const meeting = await deps.notifications.meeting(job.meetingId);
  if (!meeting || !meeting.published_at) return { queued: 0, skipped: 'meeting gone or not published' };
  const now = deps.clock.now().getTime();
  if (job.kind === 'reminder_24h') {
    const due = meeting.window_closes_at.getTime() - REMINDER_BEFORE_CLOSE_MS;
    if (due < meeting.window_opens_at.getTime()) return { queued: 0, skipped: 'window shorter than a day: the invitation is the reminder' };
    if (now < due - EARLY_SLACK_MS) return { queued: 0, skipped: 'not due yet' };
    if (now >= meeting.window_closes_at.getTime()) return { queued: 0, skipped: 'window already closed' };
    const queued = await deps.notifications.enqueueNotice(meeting, 'reminder_24h', `reminder_24h:${meeting.id}:${meeting.window_closes_at.toISOString()}`, { onlyUnfinished: FINISHED_COMPLETION });
    return { queued };
  }
  const due = meeting.qa_starts_at.getTime() - QA_NOTICE_BEFORE_MS;
  if (now < due - EARLY_SLACK_MS) return { queued: 0, skipped: 'not due yet' };
  if (now >= meeting.qa_starts_at.getTime()) return { queued: 0, skipped: 'Q&A already started' };
  const queued = await deps.notifications.enqueueNotice(meeting, 'qa_soon', `qa_soon:${meeting.id}:${meeting.qa_starts_at.toISOString()}`, { onlyUnfinished: null });
  return { queued };
}

/**
 * The safety net behind the run-at jobs: whatever notice is due now is queued, in case its job was never
 * enqueued (the API died between its commit and the enqueue). Queued mails are deduplicated, so nothing doubles.
 */
export async function dueNoticesSweep(deps: NoticeDeps): Promise<number> {
  const ids = await deps.notifications.meetingsWithDueNotices(deps.clock.now(), REMINDER_BEFORE_CLOSE_MS, QA_NOTICE_BEFORE_MS);
  let queued = 0;
  for (const meetingId of ids) {
    for (const kind of ['reminder_24h', 'qa_soon'] as const) queued += (await meetingNotice(deps, { meetingId, kind })).queued;
  }
  return queued;
}
