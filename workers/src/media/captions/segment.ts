// Turns timed words into caption cues people can read: short lines, short cues, cut where the speaker pauses.
import type { TimedWord } from './transcriber.ts';

export interface Cue {
  startSec: number;
  endSec: number;
  /** Lines are separated by "\n". */
  text: string;
}

export interface CueLimits {
  maxLineChars: number;
  maxLines: number;
  maxDurationSec: number;
  /** A pause at least this long between words always starts a new cue. */
  breakOnPauseSec: number;
}

/** The broadcast convention (BBC, Netflix): two lines of about 42 characters, up to about 7 seconds. */
export const DEFAULT_CUE_LIMITS: CueLimits = { maxLineChars: 42, maxLines: 2, maxDurationSec: 7, breakOnPauseSec: 0.6 };

function chop(word: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < word.length; i += size) parts.push(word.slice(i, i + size));
  return parts;
}

/**
 * Lays words out on at most `maxLines` lines of at most `maxChars`, as evenly as possible, or returns
 * undefined when they do not fit. A single word longer than a line is cut so that it fits.
 */
export function wrapLines(words: string[], maxChars: number, maxLines: number): string[] | undefined {
  const pieces = words.flatMap((w) => (w.length > maxChars ? chop(w, maxChars) : [w]));
  const one = pieces.join(' ');
  if (one.length <= maxChars) return [one];
  if (maxLines < 2) return undefined;
  let best: string[] | undefined;
  let bestScore = Infinity;
  for (let cut = 1; cut < pieces.length; cut++) {
    const top = pieces.slice(0, cut).join(' ');
    const rest = wrapLines(pieces.slice(cut), maxChars, maxLines - 1);
    if (top.length > maxChars || !rest) continue;
    const lines = [top, ...rest];
    const score = Math.max(...lines.map((l) => l.length)) - Math.min(...lines.map((l) => l.length));
    if (score < bestScore) {
      best = lines;
      bestScore = score;
    }
  }
  return best;
}

const FIRST_PERSON = /^i('(m|ve|ll|d|s))?$/;

/** Recognisers speak in lower case; captions start utterances with a capital and write "I" as a word. */
function present(words: TimedWord[]): TimedWord[] {
  return words.map((w, i) => {
    const capital = i === 0 || FIRST_PERSON.test(w.text);
    return capital ? { ...w, text: w.text.charAt(0).toUpperCase() + w.text.slice(1) } : w;
  });
}

function toCue(words: TimedWord[], limits: CueLimits): Cue {
  const lines = wrapLines(words.map((w) => w.text), limits.maxLineChars, limits.maxLines) ?? [words.map((w) => w.text).join(' ')];
  return { startSec: words[0]!.startSec, endSec: words.at(-1)!.endSec, text: lines.join('\n') };
}

/** Cues in time order; an utterance never shares a cue with the next one. */
export function segmentCues(utterances: TimedWord[][], limits: CueLimits = DEFAULT_CUE_LIMITS): Cue[] {
  const cues: Cue[] = [];
  for (const utterance of utterances) {
    let current: TimedWord[] = [];
    for (const word of present(utterance)) {
      const last = current.at(-1);
      if (last) {
        const paused = word.startSec - last.endSec >= limits.breakOnPauseSec;
        const tooLong = word.endSec - current[0]!.startSec > limits.maxDurationSec;
        const tooWide = !wrapLines([...current, word].map((w) => w.text), limits.maxLineChars, limits.maxLines);
        if (paused || tooLong || tooWide) {
          cues.push(toCue(current, limits));
          current = [];
        }
      }
      current.push(word);
    }
    if (current.length > 0) cues.push(toCue(current, limits));
  }
  return cues.sort((a, b) => a.startSec - b.startSec);
}
