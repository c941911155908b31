// Pure builders of the ffmpeg/ffprobe arguments for captions, and parsers of what those tools print.
import type { SpeechSpan, Utterance } from './transcriber.ts';

/** Output options that turn a recording's first audio track into what speech engines expect. */
export function speechAudioOutputOptions(): string[] {
  return [
    '-map', '0:a:0', // the first audio track; the others are commentary or silence in practice
    '-vn', '-sn', '-dn', // only sound is needed
    '-ac', '1', // mono: recognisers use one channel
    '-ar', '16000', // the rate the en-us acoustic model was trained on
    '-c:a', 'pcm_s16le', // raw 16-bit samples: what pocketsphinx reads, no second decode loss
    '-f', 'wav',
  ];
}

export interface AsrOptions {
  /** Level under which audio counts as silence, in dBFS. */
  silenceDb: number;
  /** How long a quiet stretch must last to split speech. */
  minSilenceSec: number;
  /** Silence appended at the end: the asr filter only emits an utterance once silence follows it. */
  padSec: number;
  /** Optional pocketsphinx model files; Debian's en-us model is used when absent. */
  model?: { hmm?: string; dict?: string; lm?: string };
}

export const DEFAULT_ASR_OPTIONS: AsrOptions = { silenceDb: -35, minSilenceSec: 0.3, padSec: 2 };

// Paths go into a filtergraph, where ':' ',' ';' '[' ']' '\'' and '\\' mean something; ours never need them.
const SAFE_PATH = /^[A-Za-z0-9_./-]+$/;

function graphPath(path: string): string {
  if (!SAFE_PATH.test(path)) throw new Error(`refusing to put "${path}" into a filtergraph`);
  return path;
}

/**
 * One ffprobe pass that both recognises speech and finds silences:
 * silencedetect logs silence to stderr, asr tags the frame that ends each utterance, and ametadata keeps only
 * those frames, so stdout holds one small JSON entry per utterance with its complete text.
 */
export function asrProbeArgs(audioPath: string, options: AsrOptions = DEFAULT_ASR_OPTIONS): string[] {
  const model = options.model ?? {};
  const asrOptions = (['hmm', 'dict', 'lm'] as const).flatMap((k) => (model[k] ? [`${k}=${graphPath(model[k]!)}`] : []));
  const graph = [
    `amovie=${graphPath(audioPath)}`,
    'aresample=16000', // asr runs at 16 kHz; resample explicitly so silencedetect sees the same samples
    'aformat=sample_fmts=s16:channel_layouts=mono',
    `silencedetect=noise=${options.silenceDb}dB:duration=${options.minSilenceSec}`,
    `apad=pad_dur=${options.padSec}`, // after silencedetect, so the padding is not reported as silence
    asrOptions.length > 0 ? `asr=${asrOptions.join(':')}` : 'asr',
    'ametadata=mode=select:key=lavfi.asr.text',
  ].join(',');
  return [
    '-hide_banner',
    '-loglevel', 'info', // silencedetect reports at info level
    '-f', 'lavfi', '-i', graph,
    '-show_entries', 'frame=pts_time:frame_tags=lavfi.asr.text',
    '-of', 'json',
  ];
}

/** The bare filter as DESIGN.md measured it: for comparing our path against it. */
export function bareAsrProbeArgs(audioPath: string, padSec = 2): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `amovie=${graphPath(audioPath)},apad=pad_dur=${padSec},asr`, '-show_entries', 'frame=pts_time:frame_tags=lavfi.asr.text', '-of', 'json'];
}

interface ProbeFrames {
  frames?: { pts_time?: string; tags?: Record<string, string> }[];
}

/** pocketsphinx marks alternative pronunciations as "word(2)"; readers want the word. */
function cleanWords(text: string): string {
  return text
    .split(/\s+/)
    .map((w) => w.replace(/\(\d+\)$/, ''))
    .filter((w) => w && !/^<.*>$/.test(w) && !/^\[.*\]$/.test(w))
    .join(' ');
}

/** Utterances from ffprobe's JSON: each tagged frame's time is where the recogniser noticed the speech ended. */
export function parseAsrFrames(json: string): Utterance[] {
  const parsed = JSON.parse(json) as ProbeFrames;
  const out: Utterance[] = [];
  for (const frame of parsed.frames ?? []) {
    const text = cleanWords(frame.tags?.['lavfi.asr.text'] ?? '');
    const endSec = Number(frame.pts_time);
    if (text && Number.isFinite(endSec)) out.push({ text, endSec });
  }
  return out;
}

/**
 * Speech spans from silencedetect's log: the complement of the silences within the recording.
 * A silence still open at the end of the file runs to the end.
 */
export function speechFromSilenceLog(stderr: string, durationSec: number): SpeechSpan[] {
  const silences: SpeechSpan[] = [];
  let openStart: number | undefined;
  for (const match of stderr.matchAll(/silence_(start|end): (-?[\d.]+)/g)) {
    const at = Math.max(0, Number(match[2]));
    if (match[1] === 'start') openStart = at;
    else {
      silences.push({ startSec: openStart ?? 0, endSec: at });
      openStart = undefined;
    }
  }
  if (openStart !== undefined) silences.push({ startSec: openStart, endSec: durationSec });
  const speech: SpeechSpan[] = [];
  let cursor = 0;
  for (const s of silences) {
    if (s.startSec > cursor) speech.push({ startSec: cursor, endSec: Math.min(s.startSec, durationSec) });
    cursor = Math.max(cursor, s.endSec);
  }
  if (cursor < durationSec) speech.push({ startSec: cursor, endSec: durationSec });
  return speech.filter((s) => s.endSec - s.startSec > 0.01);
}
