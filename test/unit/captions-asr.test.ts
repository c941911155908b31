import { describe, expect, it } from 'vitest';
import { asrProbeArgs, parseAsrFrames, speechAudioOutputOptions, speechFromSilenceLog } from '../../workers/src/media/captions/asr-args.ts';
import { normaliseWords, parseSphinxTranscription, wordErrors } from '../../workers/src/media/captions/wer.ts';

describe('the asr filter graph', () => {
  it('detects silence before padding, pads before asr, and keeps only frames that end an utterance', () => {
    const args = asrProbeArgs('/tmp/work/speech.wav');
    const graph = args[args.indexOf('-i') + 1]!;
    const order = ['amovie=/tmp/work/speech.wav', 'silencedetect=', 'apad=', 'asr', 'ametadata=mode=select:key=lavfi.asr.text'].map((p) => graph.indexOf(p));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(args).toEqual(expect.arrayContaining(['-show_entries', 'frame=pts_time:frame_tags=lavfi.asr.text', '-of', 'json']));
  });

  it('refuses a path that could change the filtergraph', () => {
    expect(() => asrProbeArgs('/tmp/a,asr=lm=/etc/passwd.wav')).toThrow(/refusing/);
    expect(() => asrProbeArgs("/tmp/it's.wav")).toThrow(/refusing/);
  });

  it('extracts 16 kHz mono PCM from the first audio track', () => {
    const o = speechAudioOutputOptions();
    expect(o.join(' ')).toContain('-map 0:a:0');
    expect(o.join(' ')).toContain('-ac 1');
    expect(o.join(' ')).toContain('-ar 16000');
    expect(o.join(' ')).toContain('-c:a pcm_s16le');
  });
});

describe('reading what ffprobe printed', () => {
  it('takes the full text of each utterance and drops pronunciation marks and fillers', () => {
    const json = JSON.stringify({
      frames: [
        { pts_time: '1.408000', tags: { 'lavfi.asr.text': 'ten(2) of clubs <sil> [NOISE]' } },
        { pts_time: '4.0', tags: { 'lavfi.asr.text': '' } },
        { pts_time: '9.5', tags: { 'lavfi.asr.text': 'x '.repeat(80).trim() } },
      ],
    });
    const utterances = parseAsrFrames(json);
    expect(utterances[0]).toEqual({ text: 'ten of clubs', endSec: 1.408 });
    expect(utterances).toHaveLength(2);
    expect(utterances[1]!.text.length).toBe(159);
  });

  it('turns the silence log into speech spans, with an unclosed silence running to the end', () => {
    const log = [
      '[silencedetect @ 0x1] silence_start: 0',
      '[silencedetect @ 0x1] silence_end: 0.5 | silence_duration: 0.5',
      '[silencedetect @ 0x1] silence_start: 2.25',
      '[silencedetect @ 0x1] silence_end: 3 | silence_duration: 0.75',
      '[silencedetect @ 0x1] silence_start: 7.5',
    ].join('\n');
    expect(speechFromSilenceLog(log, 9)).toEqual([
      { startSec: 0.5, endSec: 2.25 },
      { startSec: 3, endSec: 7.5 },
    ]);
    expect(speechFromSilenceLog('', 4)).toEqual([{ startSec: 0, endSec: 4 }]);
  });
});

describe('word error rate', () => {
  it('counts substitutions, deletions and insertions against the reference', () => {
    expect(wordErrors('ten of clubs', 'ten of clubs').wer).toBe(0);
    expect(wordErrors('four queen of clubs', 'for queen of clubs')).toMatchObject({ substitutions: 1, deletions: 0, insertions: 0, wer: 0.25 });
    expect(wordErrors('eight of spades', 'eight spades')).toMatchObject({ substitutions: 0, deletions: 1, insertions: 0 });
    expect(wordErrors('five five', 'five five five')).toMatchObject({ substitutions: 0, deletions: 0, insertions: 1, wer: 0.5 });
    expect(wordErrors('ten of clubs', "i've been up close").wer).toBeCloseTo(4 / 3);
  });

  it('ignores case, punctuation and sentence markers', () => {
    expect(normaliseWords("<s> I've been, UP close! </s>")).toEqual(["i've", 'been', 'up', 'close']);
  });

  it('reads a Sphinx transcription file', () => {
    const m = parseSphinxTranscription('<s> ten of clubs  </s> (001)\n<s> five five  </s> (004)\n');
    expect([...m]).toEqual([['001', 'ten of clubs'], ['004', 'five five']]);
  });
});
