// The rules every stored caption track obeys, whoever wrote it: the recogniser, an uploaded file or an edit.
import type { Cue } from './segment.ts';

export const MAX_CUE_TEXT_CHARS = 200;
export const MAX_CUES = 20_000;
/** Longer than any talk we accept; a time past it is a typo. */
export const MAX_CUE_TIME_SEC = 100 * 3600;
/** Players round to milliseconds, so touching cues may overlap by less than one. */
const TOLERANCE_SEC = 0.001;

export interface CueProblem {
  /** Position of the offending cue in the list, from 0. */
  index: number;
  message: string;
}

/** Trims text, collapses blank lines (they would end a WebVTT cue early) and drops control characters. */
export function normaliseCueText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** The first cue that breaks a rule, or undefined when the track can be stored as it is. */
export function findCueProblem(cues: readonly Cue[], options: { durationSec?: number } = {}): CueProblem | undefined {
  if (cues.length > MAX_CUES) return { index: MAX_CUES, message: `A track can have at most ${MAX_CUES} cues.` };
  for (let index = 0; index < cues.length; index++) {
    const cue = cues[index]!;
    const n = index + 1;
    if (!Number.isFinite(cue.startSec) || !Number.isFinite(cue.endSec) || cue.startSec < 0) {
      return { index, message: `Cue ${n} needs a start and an end time of 0 s or more.` };
    }
    if (cue.endSec > MAX_CUE_TIME_SEC) return { index, message: `Cue ${n} ends after ${MAX_CUE_TIME_SEC / 3600} hours; check its end time.` };
    if (options.durationSec !== undefined && cue.startSec >= options.durationSec + 1) {
      return { index, message: `Cue ${n} starts at ${cue.startSec} s, after the recording ends (${Math.round(options.durationSec)} s).` };
    }
    if (cue.endSec <= cue.startSec) return { index, message: `Cue ${n} ends (${cue.endSec} s) before it starts (${cue.startSec} s).` };
    const text = normaliseCueText(cue.text);
    if (text.length === 0) return { index, message: `Cue ${n} has no text.` };
    if (text.length > MAX_CUE_TEXT_CHARS) return { index, message: `Cue ${n} has ${text.length} characters; a cue can hold at most ${MAX_CUE_TEXT_CHARS}. Split it in two.` };
    const previous = cues[index - 1];
    if (previous) {
      if (cue.startSec < previous.startSec) return { index, message: `Cue ${n} starts before cue ${n - 1}; cues must be in time order.` };
      if (cue.startSec < previous.endSec - TOLERANCE_SEC) {
        return { index, message: `Cue ${n} starts at ${cue.startSec} s, before cue ${n - 1} ends at ${previous.endSec} s; cues must not overlap.` };
      }
    }
  }
  return undefined;
}
