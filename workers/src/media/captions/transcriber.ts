// What every speech-to-text engine hands to the caption pipeline. The pipeline (timing, cue
// segmentation, WebVTT, rows) does not know which engine produced it.

/** A stretch of the audio with speech in it, in seconds from the start of the recording. */
export interface SpeechSpan {
  startSec: number;
  endSec: number;
}

export interface TimedWord {
  text: string;
  startSec: number;
  endSec: number;
}

/**
 * One stretch of recognised speech. Engines that know when each word was said fill `words`; engines
 * that only know when the utterance ended (pocketsphinx through ffmpeg's asr filter) give `endSec`, and
 * the pipeline places the words on the speech spans before it.
 */
export interface Utterance {
  text: string;
  endSec: number;
  startSec?: number;
  words?: TimedWord[];
}

export interface Transcript {
  /** BCP 47 code of the language the engine recognised, e.g. "en". */
  lang: string;
  durationSec: number;
  utterances: Utterance[];
  /** Where there is speech; the complement of detected silence. Used to time cues to the speech. */
  speech: SpeechSpan[];
}

/** The audio every engine receives: 16 kHz mono signed 16-bit WAV, extracted by the caption task. */
export interface SpeechAudio {
  path: string;
  durationSec: number;
}

export interface Transcriber {
  /** Short engine name, recorded in logs and benchmark output. */
  readonly name: string;
  readonly lang: string;
  transcribe(audio: SpeechAudio, options?: { signal?: AbortSignal }): Promise<Transcript>;
}
