// Places recognised words on the speech they came from, for engines that only say when an utterance ended.
import type { SpeechSpan, TimedWord, Transcript, Utterance } from './transcriber.ts';

/**
 * Speech pauses shorter than this sit inside one utterance; pocketsphinx's voice detector only ends an
 * utterance after about half a second of quiet, so a longer gap before an utterance's speech belongs to
 * something else (noise it ignored, or an utterance it could not read).
 */
const MAX_PAUSE_IN_UTTERANCE_SEC = 0.8;
/** Used when silence detection found no speech at all before an utterance ended. */
const FALLBACK_SEC_PER_WORD = 0.4;
/** How long after the speech the recogniser notices it ended. */
const DETECTION_LAG_SEC = 0.3;

function clip(spans: SpeechSpan[], from: number, to: number): SpeechSpan[] {
  return spans
    .map((s) => ({ startSec: Math.max(s.startSec, from), endSec: Math.min(s.endSec, to) }))
    .filter((s) => s.endSec - s.startSec > 0.01);
}

/** The run of speech that ends nearest the utterance's end, walking back over short pauses only. */
function speechOfUtterance(speech: SpeechSpan[], from: number, to: number): SpeechSpan[] {
  const inWindow = clip(speech, from, to);
  const picked: SpeechSpan[] = [];
  for (let i = inWindow.length - 1; i >= 0; i--) {
    const span = inWindow[i]!;
    const next = picked[0];
    if (next && next.startSec - span.endSec > MAX_PAUSE_IN_UTTERANCE_SEC) break;
    picked.unshift(span);
  }
  return picked;
}

/** Splits the spans' total time among the words by their length; a word never straddles a pause. */
function spread(words: string[], spans: SpeechSpan[]): TimedWord[] {
  const weights = words.map((w) => w.length + 1);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const totalTime = spans.reduce((a, s) => a + (s.endSec - s.startSec), 0);
  // Each word goes to the span that holds the middle of its share of the speech time.
  const bySpan: number[][] = spans.map(() => []);
  let before = 0;
  words.forEach((_, i) => {
    const middle = ((before + weights[i]! / 2) / totalWeight) * totalTime;
    before += weights[i]!;
    let elapsed = 0;
    let index = spans.length - 1;
    for (let s = 0; s < spans.length; s++) {
      elapsed += spans[s]!.endSec - spans[s]!.startSec;
      if (middle <= elapsed) {
        index = s;
        break;
      }
    }
    bySpan[index]!.push(i);
  });
  const out: TimedWord[] = [];
  bySpan.forEach((indexes, s) => {
    const span = spans[s]!;
    const weight = indexes.reduce((a, i) => a + weights[i]!, 0);
    let t = span.startSec;
    for (const i of indexes) {
      const length = ((span.endSec - span.startSec) * weights[i]!) / weight;
      out.push({ text: words[i]!, startSec: t, endSec: t + length });
      t += length;
    }
  });
  return out;
}

function wordsOf(utterance: Utterance): string[] {
  return utterance.text.split(/\s+/).filter(Boolean);
}

/** Timed words per utterance, in order. Engines that timed the words themselves are trusted as they are. */
export function timeWords(transcript: Transcript): TimedWord[][] {
  const out: TimedWord[][] = [];
  let previousEnd = 0;
  for (const utterance of transcript.utterances) {
    const words = wordsOf(utterance);
    if (utterance.words && utterance.words.length > 0) {
      out.push(utterance.words);
    } else if (words.length > 0) {
      const from = utterance.startSec ?? previousEnd;
      let spans = speechOfUtterance(transcript.speech, from, utterance.endSec);
      if (spans.length === 0) {
        const end = Math.max(from + 0.1, utterance.endSec - DETECTION_LAG_SEC);
        spans = [{ startSec: Math.max(from, end - words.length * FALLBACK_SEC_PER_WORD), endSec: end }];
      }
      out.push(spread(words, spans));
    }
    previousEnd = Math.max(previousEnd, utterance.endSec);
  }
  return out;
}
