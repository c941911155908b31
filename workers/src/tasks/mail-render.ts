import { createEvents, type EventAttributes } from 'ics';
import type { Meeting, OutboxMail } from '@timeshift/shared/db/schema';
import type { ReminderTalk } from '../repositories/notifications.ts';

export interface RenderedMail {
  subject: string;
  text: string;
  ics?: string;
}

export interface MeetingFacts {
  meeting: Meeting & { org_name: string };
  talkTitles: string[];
  unfinished: ReminderTalk[];
}

const when = (d: Date) => d.toUTCString().replace(' GMT', ' UTC');
const qaEnd = (m: Meeting) => new Date(m.qa_starts_at.getTime() + m.qa_duration_minutes * 60_000);

/**
 * The calendar file of a meeting: the viewing window and the live Q&A as two events. Times are written in UTC
 * ("Z"), which every calendar shows in its owner's zone; the UIDs are stable and SEQUENCE follows the schedule
 * version, so an update replaces the events a calendar already holds instead of adding new ones.
 */
export function meetingCalendar(m: Meeting, baseUrl: string): string {
  const common = { startInputType: 'utc', startOutputType: 'utc', endInputType: 'utc', endOutputType: 'utc', sequence: m.schedule_version, productId: 'timeshift' } as const;
  const events: EventAttributes[] = [
    {
      ...common,
      uid: `${m.id}-window@timeshift`,
      title: `${m.title}: viewing window`,
      description: `Watch the talks of "${m.title}" any time in this window: ${baseUrl}/meetings/${m.id}`,
      url: `${baseUrl}/meetings/${m.id}`,
      start: m.window_opens_at.getTime(),
      end: m.window_closes_at.getTime(),
      transp: 'TRANSPARENT',
      busyStatus: 'FREE',
    },
    {
      ...common,
      uid: `${m.id}-qa@timeshift`,
      title: `${m.title}: live Q&A`,
      description: `The closing live Q&A of "${m.title}".${m.qa_join_url ? ` Join the call: ${m.qa_join_url}` : ''} Questions: ${baseUrl}/meetings/${m.id}/live`,
      url: m.qa_join_url ?? `${baseUrl}/meetings/${m.id}/live`,
      ...(m.qa_join_url ? { location: m.qa_join_url } : {}),
      start: m.qa_starts_at.getTime(),
      end: qaEnd(m).getTime(),
      busyStatus: 'BUSY',
    },
  ];
  const { error, value } = createEvents(events, { productId: 'timeshift', method: 'PUBLISH', calName: m.title });
  if (error || !value) throw error ?? new Error('calendar could not be built');
  return value;
}

function schedule(m: Meeting, baseUrl: string): string {
  return [
    `Watch from ${when(m.window_opens_at)} until ${when(m.window_closes_at)}: ${baseUrl}/meetings/${m.id}`,
    `Live Q&A: ${when(m.qa_starts_at)} for ${m.qa_duration_minutes} minutes${m.qa_join_url ? `, ${m.qa_join_url}` : ''}.`,
  ].join('\n');
}

/** Subject, text and calendar of one outbox mail, rendered from the rows as they are now. */
export function renderMail(mail: OutboxMail, baseUrl: string, facts: MeetingFacts | undefined): RenderedMail {
  const name = mail.to_name ?? 'there';
  const payload = mail.payload as { link?: string; orgName?: string };
  if (mail.kind === 'invite') {
    return {
      subject: `You are invited to ${payload.orgName ?? 'your team'} on Timeshift`,
      text: `Hello ${name},\n\nYou have been invited to ${payload.orgName ?? 'your team'} on Timeshift, where company meetings are talks you watch when it suits you, followed by a short live Q&A.\n\nChoose your password here (the link works once, for 7 days):\n${payload.link ?? '(link no longer available; ask your admin for a new invitation)'}\n`,
    };
  }
  if (!facts) throw new Error(`mail ${mail.id} (${mail.kind}) has no meeting to render`);
  const m = facts.meeting;
  const talks = facts.talkTitles.length ? `\nTalks:\n${facts.talkTitles.map((t) => `  - ${t}`).join('\n')}\n` : '';
  switch (mail.kind) {
    case 'meeting_published':
      return {
        subject: `${m.title}: watch by ${when(m.window_closes_at)}`,
        text: `Hello ${name},\n\n${m.org_name} has a new meeting, "${m.title}".\n${m.description ? `\n${m.description}\n` : ''}${talks}\n${schedule(m, baseUrl)}\n\nThe attached calendar file holds the viewing window and the live Q&A.\n`,
        ics: meetingCalendar(m, baseUrl),
      };
    case 'meeting_changed':
      return {
        subject: `Changed: ${m.title} now closes ${when(m.window_closes_at)}`,
        text: `Hello ${name},\n\nThe times of "${m.title}" have changed.\n\n${schedule(m, baseUrl)}\n\nThe attached calendar file updates the events in your calendar.\n`,
        ics: meetingCalendar(m, baseUrl),
      };
    case 'reminder_24h': {
      const left = facts.unfinished.map((t) => `  - ${t.title} (${Math.round(t.completion * 100)}% watched)`).join('\n');
      return {
        subject: `24 hours left to watch ${m.title}`,
        text: `Hello ${name},\n\nThe viewing window of "${m.title}" closes ${when(m.window_closes_at)}.\n${left ? `\nStill to watch:\n${left}\n` : ''}\nPick up where you left off: ${baseUrl}/meetings/${m.id}\n`,
      };
    }
    case 'question_answered': {
      const answered = mail.payload as { question?: string; answer?: string };
      return {
        subject: `Your question about ${m.title} has an answer`,
        text: `Hello ${name},

You asked: "${answered.question ?? ''}"

The answer:
${answered.answer ?? ''}

See it with the other questions: ${baseUrl}/meetings/${m.id}
`,
      };
    }
    case 'qa_soon':
      return {
        subject: `Live Q&A for ${m.title} starts in 15 minutes`,
        text: `Hello ${name},\n\nThe live Q&A of "${m.title}" starts ${when(m.qa_starts_at)} and runs ${m.qa_duration_minutes} minutes.\n${m.qa_join_url ? `Join the call: ${m.qa_join_url}\n` : ''}Follow the questions: ${baseUrl}/meetings/${m.id}/live\n`,
      };
  }
}
