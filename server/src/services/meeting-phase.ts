export type MeetingPhase = 'scheduled' | 'open' | 'qa' | 'closed';

export interface MeetingTimes {
  window_opens_at: Date;
  window_closes_at: Date;
  qa_starts_at: Date;
  qa_duration_minutes: number;
}

/** The end of the live Q&A. */
export function qaEndsAt(m: MeetingTimes): Date {
  return new Date(m.qa_starts_at.getTime() + m.qa_duration_minutes * 60_000);
}

/**
 * Where a meeting is on its timeline. The window is half-open [opens, closes): at the closing
 * instant it is shut, and the Q&A phase runs from the close until the Q&A ends.
 */
export function phaseAt(m: MeetingTimes, now: Date): MeetingPhase {
  const t = now.getTime();
  if (t < m.window_opens_at.getTime()) return 'scheduled';
  if (t < m.window_closes_at.getTime()) return 'open';
  if (t < qaEndsAt(m).getTime()) return 'qa';
  return 'closed';
}
