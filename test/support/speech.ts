// Real read English from Debian's pocketsphinx-testdata, laid out as a talk with known silences between
// recordings, so that captions can be scored for words (WER) and for timing (cues inside the speech).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseSphinxTranscription } from '../../workers/src/media/captions/wer.ts';
import { probeDuration } from './media.ts';

const exec = promisify(execFile);
const DATA = '/usr/share/pocketsphinx/test/data';

export const SPEECH_SETS = {
  /** Five short commands ("ten of clubs"), 21 words: the set the issue names. */
  cards: { dir: `${DATA}/cards`, transcription: 'cards.transcription' },
  /** Five sentences of a LibriVox audiobook, 70 words: longer read English. */
  librivox: { dir: `${DATA}/librivox`, transcription: 'transcription' },
} as const;
export type SpeechSet = keyof typeof SPEECH_SETS;

export interface PlacedRecording {
  id: string;
  file: string;
  startSec: number;
  endSec: number;
  reference: string;
}

export interface SpeechTalk {
  /** 16 kHz mono WAV of the whole layout, for the bare filter. */
  wav: string;
  /** The same sound as the AAC track of a small H.264 MP4, as a speaker would upload it. */
  mp4: string;
  durationSec: number;
  placed: PlacedRecording[];
  reference: string;
}

export async function speechTalk(set: SpeechSet, outDir: string, options: { leadSec?: number; gapSec?: number } = {}): Promise<SpeechTalk> {
  const { leadSec = 1, gapSec = 1.5 } = options;
  const { dir, transcription } = SPEECH_SETS[set];
  const references = parseSphinxTranscription(await readFile(join(dir, transcription), 'utf8'));
  const placed: PlacedRecording[] = [];
  let at = leadSec;
  for (const [id, reference] of references) {
    const file = join(dir, `${id}.wav`);
    const duration = await probeDuration(file);
    placed.push({ id, file, startSec: at, endSec: at + duration, reference });
    at += duration + gapSec;
  }
  const inputs = placed.flatMap((p) => ['-i', p.file]);
  const delays = placed.map((p, i) => `[${i}]adelay=${Math.round(p.startSec * 1000)}:all=1[d${i}]`).join(';');
  const mix = `${delays};${placed.map((_, i) => `[d${i}]`).join('')}amix=inputs=${placed.length}:normalize=0:duration=longest,apad=pad_dur=1`;
  const wav = join(outDir, `${set}.wav`);
  await exec('ffmpeg', ['-v', 'error', '-y', ...inputs, '-filter_complex', mix, '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', wav]);
  const mp4 = join(outDir, `${set}.mp4`);
  await exec('ffmpeg', [
    '-v', 'error', '-y', '-i', wav,
    '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10',
    '-map', '1:v', '-map', '0:a', '-shortest',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '96k', '-ar', '44100', mp4,
  ]);
  return { wav, mp4, durationSec: await probeDuration(wav), placed, reference: placed.map((p) => p.reference).join(' ') };
}
