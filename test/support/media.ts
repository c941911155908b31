// Test media made by ffmpeg's own generators, so no binary fixtures live in the repository.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export async function tempDir(prefix = 'timeshift-media-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export interface ClipOptions {
  seconds: number;
  width?: number;
  height?: number;
  fps?: number;
  video?: 'h264' | 'vp9';
  audio?: 'aac' | 'opus' | 'none';
  container?: 'mp4' | 'webm';
}

/** A test pattern with a tone: H.264/AAC MP4 by default. */
export async function makeClip(path: string, o: ClipOptions): Promise<string> {
  const { width = 640, height = 360, fps = 25, video = 'h264', audio = 'aac' } = o;
  const args = ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`];
  if (audio !== 'none') args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000');
  args.push('-t', String(o.seconds));
  if (video === 'h264') args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(fps * 2));
  else args.push('-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '500k');
  if (audio === 'aac') args.push('-c:a', 'aac', '-b:a', '96k');
  if (audio === 'opus') args.push('-c:a', 'libopus', '-b:a', '64k');
  args.push(path);
  await exec('ffmpeg', args);
  return path;
}

export async function probeDuration(input: string): Promise<number> {
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', input]);
  return Number(stdout.trim());
}

/** Decodes every frame of the input; throws if ffmpeg finds an error. Returns the decoded video frame count. */
export async function decodeFrames(input: string): Promise<number> {
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'default=nw=1:nk=1', input]);
  return Number(stdout.trim());
}
