import { errors } from '../errors.ts';

export { FINISHED_COMPLETION } from '@timeshift/shared/meeting-notices';

/** Players report times a little past the end (the last frame's duration); this much is forgiven. */
const END_TOLERANCE_SEC = 1;

export interface WatchReport {
  ranges: number[][];
  positionSec: number;
}

export interface NormalisedReport {
  /** Whole-second half-open ranges [start, end), merged by Postgres when stored. */
  ranges: [number, number][];
  positionSec: number;
  /** The talk's length in whole seconds: the denominator of completion. */
  totalSeconds: number;
}

/**
 * Checks a player's report against the talk's duration and turns it into whole seconds. Only the ranges
 * the player says it played count: a seek jumps over content and reports nothing for it.
 */
export function normaliseReport(report: WatchReport, durationSec: number): NormalisedReport {
  const totalSeconds = Math.max(1, Math.round(durationSec));
  const limit = durationSec + END_TOLERANCE_SEC;
  const ranges: [number, number][] = [];
  report.ranges.forEach((range, i) => {
    const [start, end] = range;
    if (range.length !== 2 || !Number.isFinite(start) || !Number.isFinite(end)) {
      throw errors.badRequest('INVALID_RANGE', `Range ${i + 1} must be two numbers, [startSec, endSec].`);
    }
    if (start! < 0 || end! < 0) throw errors.badRequest('NEGATIVE_RANGE', `Range ${i + 1} starts or ends before 0 s.`);
    if (end! < start!) throw errors.badRequest('REVERSED_RANGE', `Range ${i + 1} ends (${end} s) before it starts (${start} s).`);
    if (end! > limit) {
      throw errors.badRequest('RANGE_BEYOND_DURATION', `Range ${i + 1} ends at ${end} s, past the end of this ${durationSec.toFixed(1)} s talk.`);
    }
    const from = Math.min(Math.round(start!), totalSeconds);
    const to = Math.min(Math.round(end!), totalSeconds);
    if (to > from) ranges.push([from, to]);
  });
  if (!Number.isFinite(report.positionSec) || report.positionSec < 0 || report.positionSec > limit) {
    throw errors.badRequest('INVALID_POSITION', `positionSec must be between 0 and ${durationSec.toFixed(1)} s.`);
  }
  return { ranges, positionSec: Math.min(report.positionSec, durationSec), totalSeconds };
}

/** Postgres's text form of an int4multirange. */
export function multirangeLiteral(ranges: [number, number][]): string {
  return `{${ranges.map(([a, b]) => `[${a},${b})`).join(',')}}`;
}

/** Parses Postgres's text form back, e.g. "{[0,10),[20,30)}" -> [[0,10],[20,30]]. */
export function parseMultirange(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(/\[(\d+),(\d+)\)/g)) out.push([Number(m[1]), Number(m[2])]);
  return out;
}
