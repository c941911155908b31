import { describe, expect, it } from 'vitest';
import { phaseAt } from '../../server/src/services/meeting-phase.ts';

const m = {
  window_opens_at: new Date('2026-03-02T09:00:00Z'),
  window_closes_at: new Date('2026-03-05T15:00:00Z'),
  qa_starts_at: new Date('2026-03-05T15:00:00Z'),
  qa_duration_minutes: 20,
};

describe('meeting phase', () => {
  it.each([
    ['2026-03-02T08:59:59.999Z', 'scheduled'],
    ['2026-03-02T09:00:00.000Z', 'open'],
    ['2026-03-05T14:59:59.999Z', 'open'],
    ['2026-03-05T15:00:00.000Z', 'qa'],
    ['2026-03-05T15:19:59.999Z', 'qa'],
    ['2026-03-05T15:20:00.000Z', 'closed'],
  ])('at %s is %s', (at, phase) => {
    expect(phaseAt(m, new Date(at))).toBe(phase);
  });
});
