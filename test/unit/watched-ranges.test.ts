import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/src/errors.ts';
import { multirangeLiteral, normaliseReport, parseMultirange } from '../../server/src/services/watched-ranges.ts';
import { parseInstant } from '../../server/src/services/instant.ts';

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof AppError ? `${e.status} ${e.code}` : String(e);
  }
  return 'no error';
};

describe('a player’s watch report', () => {
  it('becomes whole seconds, clamped to the talk, dropping empty slivers', () => {
    expect(normaliseReport({ ranges: [[0, 9.6], [9.6, 19.4], [30.2, 30.4]], positionSec: 19.4 }, 60)).toEqual({
      ranges: [[0, 10], [10, 19]],
      positionSec: 19.4,
      totalSeconds: 60,
    });
    // A player may report the last frame a little past the end.
    expect(normaliseReport({ ranges: [[55, 60.5]], positionSec: 60.5 }, 60.2).ranges).toEqual([[55, 60]]);
  });
  it('is refused when a range is negative, reversed or past the end, or the position is off the talk', () => {
    expect(codeOf(() => normaliseReport({ ranges: [[-1, 5]], positionSec: 0 }, 60))).toBe('400 NEGATIVE_RANGE');
    expect(codeOf(() => normaliseReport({ ranges: [[10, 5]], positionSec: 0 }, 60))).toBe('400 REVERSED_RANGE');
    expect(codeOf(() => normaliseReport({ ranges: [[10, 75]], positionSec: 0 }, 60))).toBe('400 RANGE_BEYOND_DURATION');
    expect(codeOf(() => normaliseReport({ ranges: [[1, 2, 3]], positionSec: 0 }, 60))).toBe('400 INVALID_RANGE');
    expect(codeOf(() => normaliseReport({ ranges: [], positionSec: 90 }, 60))).toBe('400 INVALID_POSITION');
  });
  it('round-trips through the multirange text form', () => {
    expect(multirangeLiteral([[0, 10], [20, 30]])).toBe('{[0,10),[20,30)}');
    expect(parseMultirange('{[0,10),[20,30)}')).toEqual([[0, 10], [20, 30]]);
    expect(parseMultirange('{}')).toEqual([]);
  });
});

describe('a meeting time', () => {
  it('needs an explicit zone', () => {
    expect(parseInstant('2026-03-02T09:00:00Z', 'x').toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect(parseInstant('2026-03-02T10:00:00+01:00', 'x').toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect(codeOf(() => parseInstant('2026-03-02T09:00:00', 'x'))).toBe('400 MISSING_TIME_ZONE');
    expect(codeOf(() => parseInstant('next Monday', 'x'))).toBe('400 INVALID_TIMESTAMP');
  });
});
