// From a recording to caption cues: extract speech audio, recognise it, time it to the speech, cut it into cues.
import { join } from 'node:path';
import { ffprobe, runFfmpeg } from '../ffmpeg.ts';
import { speechAudioOutputOptions } from './asr-args.ts';
import { DEFAULT_CUE_LIMITS, segmentCues, type Cue, type CueLimits } from './segment.ts';
import { timeWords } from './timing.ts';
import type { SpeechAudio, Transcriber, Transcript } from './transcriber.ts';

/** The 16 kHz mono WAV of the recording's first audio track, or undefined when it has no sound. */
export async function extractSpeechAudio(recording: string, workDir: string, signal?: AbortSignal): Promise<SpeechAudio | undefined> {
  const probe = await ffprobe(recording);
  if (!probe.streams.some((s) => s.codec_type === 'audio')) return undefined;
  const path = join(workDir, 'speech.wav');
  await runFfmpeg({ input: recording, outputOptions: speechAudioOutputOptions(), output: path, signal });
  const durationSec = Number((await ffprobe(path)).format.duration ?? 0);
  return { path, durationSec };
}

export function cuesFromTranscript(transcript: Transcript, limits: CueLimits = DEFAULT_CUE_LIMITS): Cue[] {
  return segmentCues(timeWords(transcript), limits);
}

export async function captionAudio(transcriber: Transcriber, audio: SpeechAudio, signal?: AbortSignal): Promise<{ transcript: Transcript; cues: Cue[] }> {
  const transcript = await transcriber.transcribe(audio, { signal });
  return { transcript, cues: cuesFromTranscript(transcript) };
}
