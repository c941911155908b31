// Captions: realtime factor and word error rate of our captions path against the bare asr filter, in one run.
//
// "bare" is the filter as DESIGN.md measured it: `amovie=<wav>,apad=pad_dur=2,asr` read with ffprobe, on each
// test recording separately and on the same layout our path gets. "ours" is what the captions task does to an
// uploaded MP4: extract 16 kHz mono, one ffprobe pass with silencedetect + apad + asr, timing, cue segmentation
// and the WebVTT text (S3 and database writes are left out; they are milliseconds).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMediaTool } from '../../workers/src/media/ffmpeg.ts';
import { bareAsrProbeArgs, parseAsrFrames } from '../../workers/src/media/captions/asr-args.ts';
import { captionAudio, extractSpeechAudio } from '../../workers/src/media/captions/pipeline.ts';
import { pocketsphinxTranscriber } from '../../workers/src/media/captions/pocketsphinx.ts';
import { DEFAULT_CUE_LIMITS } from '../../workers/src/media/captions/segment.ts';
import { writeWebVtt } from '../../workers/src/media/captions/webvtt.ts';
import { wordErrors } from '../../workers/src/media/captions/wer.ts';
import { speechTalk, type SpeechSet, type SpeechTalk } from '../support/speech.ts';
import { log, machineInfo, median, onCleanup, round } from './support.ts';

export const description = 'captions: realtime factor and WER of our path vs the bare asr filter (pocketsphinx test data)';

const REPEATS = 2;

/** CPU seconds used by finished child processes (ffmpeg, ffprobe), from /proc: the machine's load does not inflate it. */
function childCpuSec(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // After the command name: cutime and cstime are fields 16 and 17 of the full line, in clock ticks (100 Hz on Linux).
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

async function measure<T>(work: () => Promise<T>): Promise<{ value: T; wallSec: number; cpuSec: number }> {
  const cpu0 = childCpuSec();
  const t0 = performance.now();
  const value = await work();
  return { value, wallSec: (performance.now() - t0) / 1000, cpuSec: childCpuSec() - cpu0 };
}

async function bareText(wav: string): Promise<string> {
  const out = await runMediaTool('ffprobe', bareAsrProbeArgs(wav));
  return parseAsrFrames(out.stdout).map((u) => u.text).join(' ');
}

function figures(audioSec: number, runs: { wallSec: number; cpuSec: number }[], reference: string, hypothesis: string) {
  const wallSec = median(runs.map((r) => r.wallSec));
  const cpuSec = median(runs.map((r) => r.cpuSec));
  const e = wordErrors(reference, hypothesis);
  return {
    audioSec: round(audioSec, 2),
    wallSec: round(wallSec, 2),
    childCpuSec: round(cpuSec, 2),
    realtimeFactor: round(audioSec / wallSec, 2),
    realtimeFactorPerCpuSec: round(audioSec / cpuSec, 2),
    wer: round(e.wer, 3),
    errors: { substitutions: e.substitutions, deletions: e.deletions, insertions: e.insertions, referenceWords: e.referenceWords },
    hypothesis,
  };
}

async function compare(set: SpeechSet, talk: SpeechTalk, work: string) {
  const perFile: { wallSec: number; cpuSec: number }[] = [];
  const layout: { wallSec: number; cpuSec: number }[] = [];
  const ours: { wallSec: number; cpuSec: number }[] = [];
  let perFileText = '';
  let layoutText = '';
  let oursText = '';
  let cueStats = { cues: 0, maxLineChars: 0, maxLines: 0, maxDurationSec: 0, cuesOutsideSpeech: 0 };
  // Alternate the contenders so that a burst of load on the machine hits both alike.
  for (let i = 0; i < REPEATS; i++) {
    log(`${set}: run ${i + 1}/${REPEATS}`);
    const a = await measure(async () => {
      const texts = [];
      for (const p of talk.placed) texts.push(await bareText(p.file));
      return texts.join(' ');
    });
    perFile.push(a);
    perFileText = a.value;
    const b = await measure(() => bareText(talk.wav));
    layout.push(b);
    layoutText = b.value;
    const c = await measure(async () => {
      const dir = await mkdtemp(join(work, 'ours-'));
      const audio = await extractSpeechAudio(talk.mp4, dir);
      const { cues } = await captionAudio(pocketsphinxTranscriber(), audio!);
      const vtt = writeWebVtt(cues);
      await rm(dir, { recursive: true, force: true });
      return { cues, vtt };
    });
    ours.push(c);
    oursText = c.value.cues.map((q) => q.text.replace(/\n/g, ' ')).join(' ');
    const lines = c.value.cues.flatMap((q) => q.text.split('\n'));
    cueStats = {
      cues: c.value.cues.length,
      maxLineChars: Math.max(0, ...lines.map((l) => l.length)),
      maxLines: Math.max(0, ...c.value.cues.map((q) => q.text.split('\n').length)),
      maxDurationSec: round(Math.max(0, ...c.value.cues.map((q) => q.endSec - q.startSec)), 2),
      cuesOutsideSpeech: c.value.cues.filter((q) => !talk.placed.some((p) => q.startSec >= p.startSec - 0.15 && q.endSec <= p.endSec + 0.15)).length,
    };
  }
  const speechSec = talk.placed.reduce((a, p) => a + (p.endSec - p.startSec), 0);
  const bareFiles = figures(speechSec, perFile, talk.reference, perFileText);
  const bareLayout = figures(talk.durationSec, layout, talk.reference, layoutText);
  const oursFigures = { ...figures(talk.durationSec, ours, talk.reference, oursText), cues: cueStats };
  return {
    recordings: talk.placed.length,
    bareAsrPerFile: bareFiles,
    bareAsrSameLayout: bareLayout,
    ours: oursFigures,
    oursWallOverBareSameLayout: round(oursFigures.wallSec / bareLayout.wallSec, 2),
    oursCpuOverBareSameLayout: round(oursFigures.childCpuSec / bareLayout.childCpuSec, 2),
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const machine = machineInfo();
  const work = await mkdtemp(join(tmpdir(), 'timeshift-bench-captions-'));
  onCleanup(() => rm(work, { recursive: true, force: true }));
  const cards = await compare('cards', await speechTalk('cards', work), work);
  const librivox = await compare('librivox', await speechTalk('librivox', work), work);
  return {
    machine,
    engine: 'pocketsphinx via ffmpeg asr (Debian en-us model)',
    layout: 'recordings one after another, 1 s lead and 1.5 s silence between; ours reads them from an H.264/AAC MP4',
    repeats: REPEATS,
    cueLimits: DEFAULT_CUE_LIMITS,
    cards,
    librivox,
    goals: {
      oursWithinBareWer: { goal: 'ours WER <= bare (same layout) + 0.05 on cards', met: cards.ours.wer <= cards.bareAsrSameLayout.wer + 0.05 },
      oursCostNearBare: { goal: 'ours child CPU <= 1.3 x bare (same layout) on cards', met: cards.oursCpuOverBareSameLayout <= 1.3 },
      cueLimitsHeld: { goal: '<= 2 lines of <= 42 chars, <= 7 s, none outside speech', met: [cards, librivox].every((s) => s.ours.cues.maxLines <= 2 && s.ours.cues.maxLineChars <= 42 && s.ours.cues.maxDurationSec <= 7 && s.ours.cues.cuesOutsideSpeech === 0) },
    },
  };
}
