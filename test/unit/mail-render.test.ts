import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import type { Meeting, OutboxMail } from '@timeshift/shared/db/schema';
import { meetingCalendar, renderMail } from '../../workers/src/tasks/mail-render.ts';

const meeting = {
  id: '11111111-2222-4333-8444-555555555555',
  org_id: '00000000-0000-4000-8000-000000000000',
  title: 'Q3 all-hands',
  description: 'Numbers and plans',
  window_opens_at: new Date('2030-03-04T08:00:00Z'),
  window_closes_at: new Date('2030-03-07T14:00:00Z'),
  qa_starts_at: new Date('2030-03-07T14:30:00Z'),
  qa_duration_minutes: 30,
  qa_join_url: 'https://call.example.test/q3',
  schedule_version: 2,
  org_name: 'Acme',
} as unknown as Meeting & { org_name: string };

const mail = (kind: OutboxMail['kind'], payload: Record<string, unknown> = { meetingId: meeting.id }) =>
  ({ id: 'm1', kind, to_email: 'eli@example.test', to_name: 'Eli', payload, attempts: 1 }) as unknown as OutboxMail;

describe('a meeting’s calendar file', () => {
  it('holds the window and the Q&A in UTC, with stable UIDs and the schedule version as SEQUENCE', () => {
    const calendar = new ICAL.Component(ICAL.parse(meetingCalendar(meeting, 'https://ts.example.test')));
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    const [window, qa] = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(window!.uid).toBe(`${meeting.id}-window@timeshift`);
    expect(window!.startDate.toJSDate().toISOString()).toBe('2030-03-04T08:00:00.000Z');
    expect(window!.endDate.toJSDate().toISOString()).toBe('2030-03-07T14:00:00.000Z');
    expect(window!.sequence).toBe(2);
    expect(qa!.uid).toBe(`${meeting.id}-qa@timeshift`);
    expect(qa!.startDate.toJSDate().toISOString()).toBe('2030-03-07T14:30:00.000Z');
    expect(qa!.endDate.toJSDate().toISOString()).toBe('2030-03-07T15:00:00.000Z');
    expect(qa!.location).toBe('https://call.example.test/q3');
  });
});

describe('rendered mails', () => {
  const facts = { meeting, talkTitles: ['Revenue', 'Hiring'], unfinished: [{ title: 'Hiring', completion: 0.4 }] };
  it('an invitation carries its one-time link', () => {
    const r = renderMail(mail('invite', { link: 'https://ts.example.test/invite/abc', orgName: 'Acme' }), 'https://ts.example.test', undefined);
    expect(r.subject).toBe('You are invited to Acme on Timeshift');
    expect(r.text).toContain('https://ts.example.test/invite/abc');
    expect(r.ics).toBeUndefined();
  });
  it('a meeting announcement and a change carry the calendar; a reminder lists what is left to watch', () => {
    expect(renderMail(mail('meeting_published'), 'https://ts.example.test', facts).ics).toContain('BEGIN:VEVENT');
    const changed = renderMail(mail('meeting_changed'), 'https://ts.example.test', facts);
    expect(changed.subject).toContain('Changed: Q3 all-hands');
    expect(changed.ics).toContain('SEQUENCE:2');
    const reminder = renderMail(mail('reminder_24h'), 'https://ts.example.test', facts);
    expect(reminder.text).toContain('Hiring (40% watched)');
    expect(reminder.text).not.toContain('Revenue (');
    expect(renderMail(mail('qa_soon'), 'https://ts.example.test', facts).text).toContain('https://call.example.test/q3');
  });
});

describe('the mail to someone whose question was answered', () => {
  it('quotes the question and the answer and links the meeting', () => {
    const facts = { meeting, talkTitles: [], unfinished: [] } as unknown as Parameters<typeof renderMail>[2];
    const out = renderMail(mail('question_answered', { meetingId: meeting.id, question: 'Who owns billing?', answer: 'The payments team.' }), 'https://ts.example.test', facts);
    expect(out.subject).toBe('Your question about Q3 all-hands has an answer');
    expect(out.text).toContain('You asked: "Who owns billing?"');
    expect(out.text).toContain('The payments team.');
    expect(out.text).toContain(`https://ts.example.test/meetings/${meeting.id}`);
    expect(out.ics).toBeUndefined();
  });
});
