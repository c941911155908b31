// Reads the caption files speakers upload (WebVTT and SubRip) into cues, naming the line of the first error.
import { findCueProblem, normaliseCueText } from './cue-rules.ts';
import type { Cue } from './segment.ts';

export class CaptionFileError extends Error {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(`Line ${line}: ${detail}`);
  }
}

export type CaptionFormat = 'vtt' | 'srt';

interface LocatedCue extends Cue {
  /** The line of the cue's timing, for error messages. */
  line: number;
}

function linesOf(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

/** WebVTT files announce themselves on their first line; anything else is taken for SubRip. */
export function detectCaptionFormat(text: string): CaptionFormat {
  return /^WEBVTT([ \t]|$)/.test(linesOf(text)[0] ?? '') ? 'vtt' : 'srt';
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', nbsp: ' ', lrm: '\u200e', rlm: '\u200f', quot: '"', apos: "'" };

/** Cue payloads carry markup (<v Speaker>, <i>, {\an8}); we store and search the words. */
function plainText(lines: string[]): string {
  const text = lines
    .join('\n')
    .replace(/<[^>\n]*>/g, '')
    .replace(/\{\\[^}\n]*\}/g, '')
    .replace(/&(amp|lt|gt|nbsp|lrm|rlm|quot|apos);/g, (_m, name: string) => ENTITIES[name]!);
  return normaliseCueText(text);
}

const VTT_TIME = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;
const SRT_TIME = /^(\d{1,3}):([0-5]\d):([0-5]\d)[,.](\d{1,3})$/;

function seconds(match: RegExpExecArray): number {
  const [, h = '0', m, s, frac] = match;
  return Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(`0.${frac}`);
}

function parseTiming(line: string, lineNo: number, format: CaptionFormat): { startSec: number; endSec: number } {
  const example = format === 'vtt' ? '00:00:01.000 --> 00:00:04.000' : '00:00:01,000 --> 00:00:04,000';
  const parts = line.trim().split(/\s+/);
  if (parts[1] !== '-->' || parts.length < 3) throw new CaptionFileError(lineNo, `expected a cue timing like "${example}", found "${line.slice(0, 60)}".`);
  if (format === 'srt' && parts.length > 3 && !parts.slice(3).every((p) => /^[XY][12]:\d+$/.test(p))) {
    throw new CaptionFileError(lineNo, `unexpected text after the end time: "${parts.slice(3).join(' ').slice(0, 40)}".`);
  }
  const pattern = format === 'vtt' ? VTT_TIME : SRT_TIME;
  const start = pattern.exec(parts[0]!);
  if (!start) throw new CaptionFileError(lineNo, `"${parts[0]}" is not a valid start time; write it like "${example.split(' ')[0]}".`);
  const end = pattern.exec(parts[2]!);
  if (!end) throw new CaptionFileError(lineNo, `"${parts[2]}" is not a valid end time; write it like "${example.split(' ')[2]}".`);
  return { startSec: seconds(start), endSec: seconds(end) };
}

/** Blocks of non-blank lines with the line number each starts on. */
function blocks(lines: string[], from: number): { start: number; lines: string[] }[] {
  const out: { start: number; lines: string[] }[] = [];
  let current: { start: number; lines: string[] } | undefined;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      current = undefined;
      continue;
    }
    if (!current) {
      current = { start: i + 1, lines: [] };
      out.push(current);
    }
    current.lines.push(line);
  }
  return out;
}

function parseVtt(text: string): LocatedCue[] {
  const lines = linesOf(text);
  if (!/^WEBVTT([ \t]|$)/.test(lines[0] ?? '')) throw new CaptionFileError(1, 'a WebVTT file must start with the line "WEBVTT".');
  // The header runs to the first blank line.
  let bodyStart = 1;
  while (bodyStart < lines.length && lines[bodyStart]!.trim() !== '') {
    if (lines[bodyStart]!.includes('-->')) throw new CaptionFileError(bodyStart + 1, 'leave a blank line between the "WEBVTT" header and the first cue.');
    bodyStart++;
  }
  const cues: LocatedCue[] = [];
  for (const block of blocks(lines, bodyStart)) {
    const first = block.lines[0]!;
    if (/^(NOTE|STYLE|REGION)([ \t]|$)/.test(first)) continue;
    const timingAt = first.includes('-->') ? 0 : 1;
    const timing = block.lines[timingAt];
    if (timing === undefined || !timing.includes('-->')) {
      throw new CaptionFileError(block.start + timingAt, `expected a cue timing like "00:00:01.000 --> 00:00:04.000", found "${(timing ?? first).slice(0, 60)}".`);
    }
    const lineNo = block.start + timingAt;
    const { startSec, endSec } = parseTiming(timing, lineNo, 'vtt');
    const payload = block.lines.slice(timingAt + 1);
    const stray = payload.findIndex((l) => l.includes('-->'));
    if (stray >= 0) throw new CaptionFileError(lineNo + 1 + stray, 'a cue timing inside cue text; put a blank line before each cue.');
    cues.push({ startSec, endSec, text: plainText(payload), line: lineNo });
  }
  return cues;
}

function parseSrt(text: string): LocatedCue[] {
  const lines = linesOf(text);
  const cues: LocatedCue[] = [];
  for (const block of blocks(lines, 0)) {
    const [counter, timing] = block.lines;
    if (!/^\d+$/.test(counter!.trim())) {
      const hint = counter!.includes('-->') ? ' Each cue starts with its number on a line of its own.' : '';
      throw new CaptionFileError(block.start, `expected a cue number, found "${counter!.slice(0, 60)}".${hint}`);
    }
    if (timing === undefined) throw new CaptionFileError(block.start + 1, 'expected a cue timing like "00:00:01,000 --> 00:00:04,000" after the cue number.');
    const { startSec, endSec } = parseTiming(timing, block.start + 1, 'srt');
    cues.push({ startSec, endSec, text: plainText(block.lines.slice(2)), line: block.start + 1 });
  }
  return cues;
}

/**
 * Parses and checks an uploaded caption file. Every failure is a CaptionFileError naming the line a person
 * should look at, including broken rules (overlaps, empty cues), which point at the offending cue's timing line.
 */
export function parseCaptionFile(text: string, options: { format?: CaptionFormat; durationSec?: number } = {}): Cue[] {
  const format = options.format ?? detectCaptionFormat(text);
  const located = format === 'vtt' ? parseVtt(text) : parseSrt(text);
  if (located.length === 0) throw new CaptionFileError(1, 'the file has no cues.');
  const cues = located.map(({ startSec, endSec, text: t }) => ({ startSec, endSec, text: t }));
  const problem = findCueProblem(cues, { durationSec: options.durationSec });
  if (problem) throw new CaptionFileError(located[Math.min(problem.index, located.length - 1)]!.line, problem.message);
  return cues;
}
