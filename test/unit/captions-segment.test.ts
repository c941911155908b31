import { describe, expect, it } from 'vitest';
import { DEFAULT_CUE_LIMITS, segmentCues, wrapLines } from '../../workers/src/media/captions/segment.ts';
import { timeWords } from '../../workers/src/media/captions/timing.ts';
import type { TimedWord, Transcript } from '../../workers/src/media/captions/transcriber.ts';

function evenlyTimed(text: string, startSec: number, secPerWord: number): TimedWord[] {
  return text.split(' ').map((w, i) => ({ text: w, startSec: startSec + i * secPerWord, endSec: startSec + (i + 1) * secPerWord }));
}

const LONG = 'so what we did this quarter was move every customer onto the new billing system and that took most of the team most of the time but it means invoices now go out on the first of the month without anyone touching them';

describe('line wrapping', () => {
  it('keeps short text on one line', () => {
    expect(wrapLines(['hello', 'world'], 42, 2)).toEqual(['hello world']);
  });

  it('balances two lines and keeps each within the limit', () => {
    const lines = wrapLines('eight of spades four of clubs seven of hearts and more'.split(' '), 42, 2)!;
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(42);
    expect(Math.abs(lines[0]!.length - lines[1]!.length)).toBeLessThanOrEqual(8);
  });

  it('says when words do not fit two lines', () => {
    expect(wrapLines(LONG.split(' '), 42, 2)).toBeUndefined();
  });

  it('cuts a word longer than a line so that it still fits', () => {
    const lines = wrapLines(['x'.repeat(60)], 42, 2)!;
    expect(lines.map((l) => l.length)).toEqual([42, 18]);
  });
});

describe('cue segmentation', () => {
  it('never makes a cue of more than two lines of 42 characters or longer than 7 s', () => {
    const cues = segmentCues([evenlyTimed(LONG, 3, 0.45)]);
    expect(cues.length).toBeGreaterThanOrEqual(3);
    for (const cue of cues) {
      const lines = cue.text.split('\n');
      expect(lines.length).toBeLessThanOrEqual(2);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(42);
      expect(cue.endSec - cue.startSec).toBeLessThanOrEqual(DEFAULT_CUE_LIMITS.maxDurationSec);
    }
    // Every word is there once, in order.
    expect(cues.map((c) => c.text.replace(/\n/g, ' ')).join(' ').toLowerCase()).toBe(LONG);
  });

  it('cuts at the 7 s limit when someone speaks slowly', () => {
    const cues = segmentCues([evenlyTimed('one two three four five six seven eight', 0, 1.5)]);
    expect(cues.length).toBe(2);
    for (const cue of cues) expect(cue.endSec - cue.startSec).toBeLessThanOrEqual(7);
  });

  it('starts a new cue where the speaker pauses, not in the middle of speech', () => {
    const words = [...evenlyTimed('first part here', 0, 0.3), ...evenlyTimed('second part', 2, 0.3)];
    const cues = segmentCues([words]);
    expect(cues.map((c) => c.text)).toEqual(['First part here', 'second part']);
    expect(cues[0]!.endSec).toBeCloseTo(0.9);
    expect(cues[1]!.startSec).toBeCloseTo(2);
  });

  it('gives each utterance its own cues, capitalised, with "I" written as a word', () => {
    const cues = segmentCues([evenlyTimed("i've been up close", 0, 0.3), evenlyTimed('then i said so', 1.3, 0.3)]);
    expect(cues.map((c) => c.text)).toEqual(["I've been up close", 'Then I said so']);
  });
});

describe('timing words to the speech', () => {
  const speech = [
    { startSec: 0.5, endSec: 2 },
    { startSec: 2.3, endSec: 3.5 },
    { startSec: 6, endSec: 8 },
  ];

  it('places an utterance’s words on the speech before its end, and never in a silence', () => {
    const transcript: Transcript = { lang: 'en', durationSec: 10, speech, utterances: [{ text: 'alpha beta gamma delta', endSec: 3.9 }, { text: 'epsilon zeta', endSec: 8.4 }] };
    const [first, second] = timeWords(transcript);
    expect(first!.map((w) => w.text)).toEqual(['alpha', 'beta', 'gamma', 'delta']);
    expect(first![0]!.startSec).toBeCloseTo(0.5);
    expect(first!.at(-1)!.endSec).toBeCloseTo(3.5);
    for (const w of [...first!, ...second!]) {
      const inside = speech.some((s) => w.startSec >= s.startSec - 1e-9 && w.endSec <= s.endSec + 1e-9);
      expect(inside, `${w.text} ${w.startSec}-${w.endSec}`).toBe(true);
    }
    expect(second![0]!.startSec).toBeCloseTo(6);
    expect(second!.at(-1)!.endSec).toBeCloseTo(8);
  });

  it('leaves out speech separated from the utterance by a long silence', () => {
    const transcript: Transcript = { lang: 'en', durationSec: 10, speech: [{ startSec: 0, endSec: 1 }, { startSec: 4, endSec: 5 }], utterances: [{ text: 'hello there', endSec: 5.3 }] };
    const [words] = timeWords(transcript);
    expect(words![0]!.startSec).toBeCloseTo(4);
  });

  it('estimates from the end time when silence detection found no speech', () => {
    const transcript: Transcript = { lang: 'en', durationSec: 10, speech: [], utterances: [{ text: 'one two', endSec: 5 }] };
    const [words] = timeWords(transcript);
    expect(words![0]!.startSec).toBeGreaterThanOrEqual(3.5);
    expect(words!.at(-1)!.endSec).toBeLessThanOrEqual(5);
  });

  it('trusts an engine that timed its words itself', () => {
    const own = [{ text: 'hi', startSec: 1, endSec: 1.2 }];
    expect(timeWords({ lang: 'en', durationSec: 3, speech: [], utterances: [{ text: 'hi', endSec: 2, words: own }] })).toEqual([own]);
  });
});
