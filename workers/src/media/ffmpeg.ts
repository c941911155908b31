// The only place that spawns ffmpeg or ffprobe. Arguments are built by the pure *-args.ts modules.
import { execFile } from 'node:child_process';
import ffmpeg from 'fluent-ffmpeg';

export interface ProbeStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  level?: number;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string | number;
  tags?: Record<string, string>;
  side_data_list?: { rotation?: number }[];
}

export interface ProbeData {
  streams: ProbeStream[];
  format: { format_name?: string; duration?: number | string; bit_rate?: number | string; size?: number | string };
}

export class FfmpegError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
  }

  /** The last meaningful line ffmpeg printed: what a person can act on. */
  get reason(): string {
    const lines = this.stderr.split('\n').map((l) => l.trim()).filter((l) => l && l !== 'Conversion failed!');
    const telling = lines.filter((l) => /error|invalid|could not|cannot|no such|unsupported|not supported/i.test(l));
    return telling.at(-1) ?? lines.at(-1) ?? this.message;
  }
}

export function ffprobe(input: string): Promise<ProbeData> {
  return new Promise((resolve, reject) => {
    ffmpeg.ffprobe(input, (err: Error | null, data: unknown) => {
      if (err) reject(new FfmpegError('ffprobe could not read the file', err.message));
      else resolve(data as ProbeData);
    });
  });
}

export interface FfmpegRun {
  input: string;
  inputOptions?: string[];
  outputOptions: string[];
  output: string;
  /** Receives the seconds of media processed so far. */
  onProgress?: (processedSeconds: number) => void;
  signal?: AbortSignal;
}

function timemarkSeconds(mark: string | undefined): number {
  if (!mark) return 0;
  const [h = '0', m = '0', s = '0'] = mark.split(':');
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

export function runFfmpeg(run: FfmpegRun): Promise<void> {
  return new Promise((resolve, reject) => {
    // Options go in as separate arguments: given one array, fluent-ffmpeg splits any item with exactly one
    // space in two, which breaks values such as a two-rung -var_stream_map.
    const command = ffmpeg(run.input);
    if (run.inputOptions?.length) command.inputOptions(...run.inputOptions);
    command
      .outputOptions(...run.outputOptions)
      .output(run.output)
      .on('end', () => resolve())
      .on('error', (err: Error, _stdout: string | null, stderr: string | null) => reject(new FfmpegError(err.message, stderr ?? '')));
    if (run.onProgress) command.on('progress', (p: { timemark?: string }) => run.onProgress!(timemarkSeconds(p.timemark)));
    run.signal?.addEventListener('abort', () => command.kill('SIGKILL'), { once: true });
    command.run();
  });
}

export interface ToolOutput {
  stdout: string;
  stderr: string;
}

/**
 * Runs ffmpeg or ffprobe with arguments built elsewhere and returns what it printed, for the jobs whose
 * answer is in the output itself (ffprobe's lavfi frames, filter logs) rather than in a written file.
 */
export function runMediaTool(tool: 'ffmpeg' | 'ffprobe', args: string[], options: { signal?: AbortSignal } = {}): Promise<ToolOutput> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, { maxBuffer: 512 * 1024 * 1024, signal: options.signal, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err) reject(new FfmpegError(`${tool} failed: ${err.message.split('\n')[0]}`, stderr));
      else resolve({ stdout, stderr });
    });
  });
}
