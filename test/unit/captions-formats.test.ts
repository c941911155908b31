import { describe, expect, it } from 'vitest';
import { findCueProblem } from '../../workers/src/media/captions/cue-rules.ts';
import { CaptionFileError, detectCaptionFormat, parseCaptionFile } from '../../workers/src/media/captions/parse.ts';
import { vttTimestamp, writeWebVtt } from '../../workers/src/media/captions/webvtt.ts';

function lineOfError(text: string): number {
  try {
    parseCaptionFile(text);
  } catch (e) {
    if (e instanceof CaptionFileError) return e.line;
    throw e;
  }
  throw new Error('parsed without error');
}

describe('the WebVTT writer', () => {
  it('writes numbered cues with hh:mm:ss.ttt times and escapes markup', () => {
    const vtt = writeWebVtt([
      { startSec: 1.5, endSec: 4, text: 'Fish & chips\n<b>not bold</b>' },
      { startSec: 3725.0004, endSec: 3727.9996, text: 'an hour in --> later' },
    ]);
    expect(vtt).toBe(
      'WEBVTT\n\n1\n00:00:01.500 --> 00:00:04.000\nFish &amp; chips\n&lt;b&gt;not bold&lt;/b&gt;\n\n2\n01:02:05.000 --> 01:02:08.000\nan hour in --&gt; later\n',
    );
  });

  it('rounds to the millisecond without writing 60 seconds', () => {
    expect(vttTimestamp(59.9996)).toBe('00:01:00.000');
  });

  it('round-trips through the parser', () => {
    const cues = [
      { startSec: 0.25, endSec: 2, text: 'Hello & welcome' },
      { startSec: 2, endSec: 5.5, text: 'to the quarterly\nall-hands' },
    ];
    expect(parseCaptionFile(writeWebVtt(cues))).toEqual(cues);
  });
});

describe('reading uploaded caption files', () => {
  it('reads WebVTT with a header, notes, styles, cue ids, settings and voice tags', () => {
    const vtt = 'WEBVTT - made by hand\nKind: captions\n\nNOTE a comment\nthat spans lines\n\nSTYLE\n::cue { color: yellow }\n\nintro\n00:01.000 --> 00:04.000 align:start line:0\n<v Ana>Welcome</v> back &amp; hi\n\n00:00:04.000 --> 00:00:06.500\nSecond cue\n';
    expect(parseCaptionFile(vtt)).toEqual([
      { startSec: 1, endSec: 4, text: 'Welcome back & hi' },
      { startSec: 4, endSec: 6.5, text: 'Second cue' },
    ]);
  });

  it('reads SubRip with CRLF line ends, a BOM, italics and positioning tags', () => {
    const srt = '\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i>\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\n{\\an8}Top line\r\nsecond line\r\n';
    expect(detectCaptionFormat(srt)).toBe('srt');
    expect(parseCaptionFile(srt)).toEqual([
      { startSec: 1, endSec: 2.5, text: 'Hello' },
      { startSec: 3, endSec: 4, text: 'Top line\nsecond line' },
    ]);
  });

  it('names line 1 when a WebVTT file lacks its header', () => {
    expect(lineOfError('00:00:01.000 --> 00:00:02.000\nHi\n')).toBe(1);
    expect(() => parseCaptionFile('WEBVTTX\n\n', { format: 'vtt' })).toThrow(/Line 1: a WebVTT file must start/);
  });

  it('names the line of a broken WebVTT timestamp', () => {
    const vtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfine\n\n00:00:03.000 --> 00:00:4.000\nbroken\n';
    expect(lineOfError(vtt)).toBe(6);
    expect(() => parseCaptionFile(vtt)).toThrow(/Line 6: "00:00:4.000" is not a valid end time/);
  });

  it('names the line of SubRip times written with a WebVTT arrow typo', () => {
    const srt = '1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:03,000 -> 00:00:04,000\nbroken\n';
    expect(lineOfError(srt)).toBe(6);
  });

  it('names the line where a SubRip cue number is missing', () => {
    const srt = '1\n00:00:01,000 --> 00:00:02,000\nfine\n\n00:00:03,000 --> 00:00:04,000\nno number\n';
    expect(lineOfError(srt)).toBe(5);
    expect(() => parseCaptionFile(srt)).toThrow(/expected a cue number.*on a line of its own/);
  });

  it('names the line of a cue that overlaps the one before, or ends before it starts', () => {
    const overlapping = 'WEBVTT\n\n00:00:01.000 --> 00:00:03.000\na\n\n00:00:02.000 --> 00:00:04.000\nb\n';
    expect(lineOfError(overlapping)).toBe(6);
    const backwards = '1\n00:00:05,000 --> 00:00:04,000\nb\n';
    expect(() => parseCaptionFile(backwards)).toThrow(/Line 2: Cue 1 ends \(4 s\) before it starts \(5 s\)/);
  });

  it('names the line of a cue without text, and refuses a file without cues', () => {
    expect(lineOfError('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<b></b>\n')).toBe(3);
    expect(() => parseCaptionFile('WEBVTT\n\nNOTE nothing here\n')).toThrow(/Line 1: the file has no cues/);
    expect(lineOfError('')).toBe(1);
  });

  it('names the line of a cue text that runs into the next cue without a blank line', () => {
    expect(lineOfError('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n00:00:02.000 --> 00:00:03.000\nworld\n')).toBe(5);
  });

  it('refuses cues that start after the recording ends, naming their line', () => {
    const vtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\na\n\n00:10:00.000 --> 00:10:02.000\nb\n';
    expect(() => parseCaptionFile(vtt, { durationSec: 60 })).toThrow(/Line 6: Cue 2 starts at 600 s, after the recording ends \(60 s\)/);
  });
});

describe('cue rules for edits', () => {
  it('accepts ordered, touching cues', () => {
    expect(findCueProblem([{ startSec: 0, endSec: 1, text: 'a' }, { startSec: 1, endSec: 2, text: 'b' }])).toBeUndefined();
  });

  it.each([
    [[{ startSec: 2, endSec: 3, text: 'a' }, { startSec: 1, endSec: 4, text: 'b' }], 1, /before cue 1; cues must be in time order/],
    [[{ startSec: 0, endSec: 3, text: 'a' }, { startSec: 2, endSec: 4, text: 'b' }], 1, /must not overlap/],
    [[{ startSec: 0, endSec: 1, text: '  \n ' }], 0, /has no text/],
    [[{ startSec: 0, endSec: 1, text: 'x'.repeat(201) }], 0, /at most 200/],
    [[{ startSec: -1, endSec: 1, text: 'a' }], 0, /0 s or more/],
    [[{ startSec: 1, endSec: 1, text: 'a' }], 0, /ends \(1 s\) before it starts/],
  ])('finds the first broken cue (%#)', (cues, index, message) => {
    const problem = findCueProblem(cues);
    expect(problem?.index).toBe(index);
    expect(problem?.message).toMatch(message);
  });
});
