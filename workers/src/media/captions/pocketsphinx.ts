// The pocketsphinx engine, through Debian ffmpeg's asr filter (built with --enable-pocketsphinx).
import { runMediaTool } from '../ffmpeg.ts';
import { asrProbeArgs, DEFAULT_ASR_OPTIONS, parseAsrFrames, speechFromSilenceLog, type AsrOptions } from './asr-args.ts';
import type { SpeechAudio, Transcriber, Transcript } from './transcriber.ts';

export function pocketsphinxTranscriber(options: Partial<AsrOptions> & { lang?: string } = {}): Transcriber {
  const asr: AsrOptions = { ...DEFAULT_ASR_OPTIONS, ...options };
  const lang = options.lang ?? 'en';
  return {
    name: 'pocketsphinx',
    lang,
    async transcribe(audio: SpeechAudio, run = {}): Promise<Transcript> {
      const out = await runMediaTool('ffprobe', asrProbeArgs(audio.path, asr), { signal: run.signal });
      return {
        lang,
        durationSec: audio.durationSec,
        utterances: parseAsrFrames(out.stdout),
        speech: speechFromSilenceLog(out.stderr, audio.durationSec),
      };
    },
  };
}
