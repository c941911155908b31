// Upload benchmark of issue 2: API upload throughput against lib-storage straight to S3, the API's
// memory while it streams 1 GiB, and the time from a finished upload to a playable talk.
import { spawn } from 'node:child_process';
import { randomBytes, randomFillSync } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { makeWorkerUtils } from 'graphile-worker';
import { loadConfig } from '@timeshift/shared/config';
import { keys } from '@timeshift/shared/storage/keys';
import { createS3Storage, type ObjectStorage } from '@timeshift/shared/storage/s3';
import { ffprobe } from '../../workers/src/media/ffmpeg.ts';
import { firstRenditionArgs } from '../../workers/src/media/hls-args.ts';
import { judgeSource } from '../../workers/src/media/probe.ts';
import {
  apiJson,
  cachedFile,
  createOpenMeeting,
  createTalk,
  log,
  loginDemo,
  nextLine,
  machineInfo,
  MB,
  median,
  readCpuSeconds,
  round,
  sampleRss,
  sleep,
  spawnNode,
  startApi,
  startStack,
  startWorker,
  type ApiProcess,
  type BenchStack,
} from './support.ts';

export const description = '1 GiB through POST /source vs lib-storage to S3 (MB/s, API RSS); 10-min 1080p clip upload-to-playable';

const REPETITIONS = 3;
const GiB = 1024 ** 3;
/** The same values as packages/shared/src/storage/s3.ts, stated here so that the report shows them. */
const PART_SIZE_MIB = 8;
const QUEUE_SIZE = 4;

const GOALS = {
  throughputRatio: 0.8, // API MB/s over direct-to-S3 MB/s, at least
  apiRssGrowthMB: 100, // API peak RSS over its idle baseline, below
  timeToPlayableSeconds: 5, // from the upload's 202 to `playable`, below
};

// The clip: 10 minutes of 1080p30 H.264/AAC at 6 Mbit/s, the bitrate of a typical screen or camera
// recording (ffmpeg's ultrafast default would be ~16 Mbit/s for this test pattern, 1.2 GB).
const CLIP = { seconds: 600, width: 1920, height: 1080, fps: 30, videoBitrate: '6M' };
const CLIP_FILE = `talk-${CLIP.seconds}s-${CLIP.height}p${CLIP.fps}-${CLIP.videoBitrate}.mp4`;

async function randomFile(path: string, bytes: number): Promise<void> {
  log(`generating ${bytes / GiB} GiB of random bytes (once, cached in .bench-data/)`);
  const chunk = Buffer.alloc(16 * 1024 * 1024);
  async function* chunks() {
    for (let left = bytes; left > 0; left -= chunk.length) {
      randomFillSync(chunk);
      yield left >= chunk.length ? chunk : chunk.subarray(0, left);
    }
  }
  await pipeline(chunks, createWriteStream(path));
}

function execute(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolveRun() : reject(new Error(`${cmd} exited ${code}: ${stderr.trim()}`))));
  });
}

async function makeClip(path: string): Promise<void> {
  log(`generating a ${CLIP.seconds / 60}-minute ${CLIP.height}p${CLIP.fps} H.264/AAC clip (once, ~2 min, cached in .bench-data/)`);
  const { seconds, width, height, fps, videoBitrate } = CLIP;
  const maxrate = videoBitrate;
  const bufsize = `${parseInt(videoBitrate, 10) * 2}M`;
  await execute('ffmpeg', [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', videoBitrate, '-maxrate', maxrate, '-bufsize', bufsize,
    '-pix_fmt', 'yuv420p', '-g', String(fps * 2),
    '-c:a', 'aac', '-b:a', '128k',
    '-f', 'mp4', path,
  ]);
}

/**
 * Streams a file from disk as the one part of a multipart/form-data POST, the way a browser sends
 * a form: nothing is buffered beyond the stream's chunks. Resolves with the 202's body.
 */
function postFile(api: ApiProcess, cookie: string, talkId: string, path: string, size: number): Promise<{ uploadId: string; state: string }> {
  const boundary = `----timeshiftbench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="talk.mp4"\r\nContent-Type: video/mp4\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL(`${api.baseUrl}/api/v1/talks/${talkId}/source`);
  return new Promise((resolvePost, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length, cookie },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          if (res.statusCode === 202) resolvePost(JSON.parse(body));
          else reject(new Error(`upload answered ${res.statusCode}: ${body.slice(0, 500)}`));
        });
      },
    );
    req.on('error', reject);
    async function* body() {
      yield head;
      yield* createReadStream(path);
      yield tail;
    }
    // An early answer (an error) ends the request; the response handler reports it.
    pipeline(body, req).catch(() => undefined);
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, value };
}

/** Graphile's pending job of an upload, removed so that no later worker spends minutes failing it. */
async function dropIngestJob(stack: BenchStack, uploadId: string): Promise<void> {
  const utils = await makeWorkerUtils({ connectionString: stack.env.DATABASE_URL! });
  try {
    await utils.withPgClient((client) => client.query('select graphile_worker.remove_job($1)', [`ingest_upload:${uploadId}`]));
  } finally {
    await utils.release();
  }
}

/** One direct upload in a child process, with its idle and busy RSS. */
async function directUpload(stack: BenchStack, key: string, file: string) {
  const child = spawnNode(stack, 'direct-upload', 'test/bench/_direct-upload-child.ts', { args: [key, file], stdin: true });
  try {
    await nextLine(child, (l) => l === 'ready');
    const rss = sampleRss(child.pid, 50);
    await sleep(1000);
    const idle = rss.window();
    const cpuBefore = readCpuSeconds(child.pid);
    child.proc.stdin!.write('go\n');
    const { seconds } = JSON.parse(await nextLine(child, (l) => l.startsWith('{'))) as { seconds: number };
    const cpuSeconds = readCpuSeconds(child.pid) - cpuBefore;
    const during = rss.window();
    rss.stop();
    return { seconds, idle, during, cpuSeconds };
  } finally {
    await child.stop();
  }
}

/**
 * Removes every queued job but ingests: what a playable talk enqueues next. A job the killed worker
 * had taken stays locked to it, and graphile-worker leaves it alone for hours.
 */
async function dropFollowUpJobs(stack: BenchStack): Promise<void> {
  const utils = await makeWorkerUtils({ connectionString: stack.env.DATABASE_URL! });
  try {
    const { rows } = await utils.withPgClient((client) =>
      client.query<{ id: string }>(`select id::text from graphile_worker.jobs where task_identifier <> 'ingest_upload' and locked_at is null`),
    );
    if (rows.length > 0) await utils.completeJobs(rows.map((r) => r.id));
  } finally {
    await utils.release();
  }
}

async function throughput(stack: BenchStack, api: ApiProcess, storage: ObjectStorage, speaker: string, meetingId: string) {
  const file = await cachedFile('random-1GiB.bin', (p) => randomFile(p, GiB));
  const { size } = await stat(file);
  const rss = sampleRss(api.pid, 50);
  // The API has served logins and a meeting; a quiet second gives its resting size.
  await sleep(1500);
  const cold = rss.window();
  // The first upload also loads the multipart and lib-storage code and grows the heap once; a small
  // warm-up upload separates that one-off cost from what every upload holds while it streams.
  const warmup = await cachedFile('random-64MiB.bin', (p) => randomFile(p, 64 * 1024 * 1024));
  const warmTalk = await createTalk(api, speaker, meetingId, 'Warm-up');
  const warm = await postFile(api, speaker, warmTalk.id, warmup, (await stat(warmup)).size);
  await dropIngestJob(stack, warm.uploadId);
  await storage.deletePrefix(keys.source(warmTalk.id, warm.uploadId));
  rss.window();
  await sleep(1500);
  const idle = rss.window();
  log(`API idle RSS ${cold.medianMB} MB cold, ${idle.medianMB} MB after a 64 MiB warm-up upload`);

  const runs: { apiMBps: number; directMBps: number; apiPeakRssMB: number; directRssGrowthMB: number; apiCpuSeconds: number; directCpuSeconds: number }[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    const talk = await createTalk(api, speaker, meetingId, `Throughput ${i + 1}`);
    rss.window();
    const cpuBefore = readCpuSeconds(api.pid);
    const viaApi = await timed(() => postFile(api, speaker, talk.id, file, size));
    const apiCpuSeconds = readCpuSeconds(api.pid) - cpuBefore;
    const during = rss.window();
    await dropIngestJob(stack, viaApi.value.uploadId);
    await storage.deletePrefix(keys.source(talk.id, viaApi.value.uploadId));

    const directKey = `bench/direct-${i}`;
    const direct = await directUpload(stack, directKey, file);
    await storage.deletePrefix(directKey);

    const result = {
      apiMBps: round(size / MB / viaApi.seconds, 1),
      directMBps: round(size / MB / direct.seconds, 1),
      apiPeakRssMB: during.peakMB,
      directRssGrowthMB: round(direct.during.peakMB - direct.idle.medianMB, 1),
      apiCpuSeconds: round(apiCpuSeconds, 2),
      directCpuSeconds: round(direct.cpuSeconds, 2),
    };
    log(`throughput ${i + 1}/${REPETITIONS}: API ${result.apiMBps} MB/s (peak RSS ${result.apiPeakRssMB} MB), direct ${result.directMBps} MB/s (RSS +${result.directRssGrowthMB} MB)`);
    runs.push(result);
  }
  rss.stop();

  const apiMBps = median(runs.map((r) => r.apiMBps));
  const directMBps = median(runs.map((r) => r.directMBps));
  const peakMB = Math.max(...runs.map((r) => r.apiPeakRssMB));
  return {
    fileBytes: size,
    note: 'direct = the storage module’s lib-storage Upload in a process of its own, so its memory is measured as the API’s is',
    repetitions: REPETITIONS,
    order: 'interleaved: API then direct, per repetition',
    partSizeMiB: PART_SIZE_MIB,
    queueSize: QUEUE_SIZE,
    apiMBps,
    directS3MBps: directMBps,
    // Each repetition's two uploads run back to back, so their ratio is paired against the machine's
    // load at that moment; the median of those ratios is steadier than a ratio of medians.
    ratio: round(median(runs.map((r) => r.apiMBps / r.directMBps)), 3),
    ratioOfMedians: round(apiMBps / directMBps, 3),
    apiRss: {
      idleBaselineMB: cold.medianMB,
      peakMB,
      peakGrowthMB: round(peakMB - cold.medianMB, 1),
      afterWarmupIdleMB: idle.medianMB,
      afterWarmupPeakGrowthMB: round(peakMB - idle.medianMB, 1),
      note: 'the goal is judged on growth over the freshly started API; after one 64 MiB upload its resting RSS stays higher (code loaded, memory the allocator keeps), and the afterWarmup figures are growth over that',
      sampleEveryMs: 50,
    },
    // What lib-storage alone costs, for telling the API's own share of the growth from the uploader's.
    directUploaderRssGrowthMB: Math.max(...runs.map((r) => r.directRssGrowthMB)),
    // On a CPU-bound machine the S3 server competes with the uploader for cores: CPU per upload says why.
    cpuSecondsPerUpload: { api: median(runs.map((r) => r.apiCpuSeconds)), directUploader: median(runs.map((r) => r.directCpuSeconds)) },
    runs,
  };
}

/** ffmpeg itself with the worker's arguments, nothing around it: the floor for a remux. */
async function bareRemux(input: string, outDir: string): Promise<{ seconds: number; height: number; copiesVideo: boolean }> {
  const verdict = judgeSource(await ffprobe(input), Number.MAX_SAFE_INTEGER);
  if (!verdict.ok) throw new Error(`the clip was not accepted: ${verdict.reason}`);
  await mkdir(outDir, { recursive: true });
  const plan = firstRenditionArgs(verdict, outDir);
  const { seconds } = await timed(() => execute('ffmpeg', ['-v', 'error', '-y', '-i', input, ...plan.outputOptions, join(outDir, 'index.m3u8')]));
  return { seconds, height: plan.height, copiesVideo: plan.copiesVideo };
}

/**
 * The phases of workers/src/tasks/ingest-upload.ts, re-enacted and timed one by one on the object the
 * API stored: what the end-to-end figure is made of.
 */
async function ingestPhases(storage: ObjectStorage, sourceKey: string, work: string) {
  const source = join(work, 'source');
  const download = await timed(() => storage.downloadToFile(sourceKey, source));
  const probe = await timed(() => ffprobe(source));
  const outDir = join(work, 'hls');
  const remux = await bareRemux(source, outDir);
  const files = await readdir(outDir);
  const ordered = [...files.filter((f) => f !== 'index.m3u8'), 'index.m3u8'];
  const upload = await timed(async () => {
    const parallel = 8; // as the worker does
    const rest = ordered.slice(0, -1);
    for (let i = 0; i < rest.length; i += parallel) {
      await Promise.all(rest.slice(i, i + parallel).map((f) => storage.putFile(`bench/phases/${f}`, join(outDir, f), 'application/octet-stream')));
    }
    await storage.putFile('bench/phases/index.m3u8', join(outDir, 'index.m3u8'), 'application/vnd.apple.mpegurl');
  });
  const probeOutput = await timed(() => ffprobe(join(outDir, 'index.m3u8')));
  await storage.deletePrefix('bench/phases/');
  await rm(work, { recursive: true, force: true });
  return {
    downloadSeconds: download.seconds,
    probeSeconds: probe.seconds,
    ffmpegSeconds: remux.seconds,
    uploadSegmentsSeconds: upload.seconds,
    probeOutputSeconds: probeOutput.seconds,
    files: files.length,
  };
}

async function waitPlayable(api: ApiProcess, cookie: string, talkId: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const talk = await apiJson<{ state: string; failureReason?: string }>(api, cookie, 'GET', `/talks/${talkId}`);
    if (talk.state === 'playable' || talk.state === 'ready') return;
    if (talk.state === 'failed') throw new Error(`the clip failed in the worker: ${talk.failureReason}`);
    if (Date.now() > deadline) throw new Error(`talk still ${talk.state} after ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

async function timeToPlayable(stack: BenchStack, api: ApiProcess, storage: ObjectStorage, speaker: string, meetingId: string) {
  const clip = await cachedFile(CLIP_FILE, makeClip);
  const { size } = await stat(clip);

  const runs: Record<string, number>[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    // A fresh, idle worker per repetition: a talk's follow-up jobs (ladder, poster, captions) take
    // minutes on this machine and would otherwise hold up the next talk's ingest.
    const worker = await startWorker(stack);
    const talk = await createTalk(api, speaker, meetingId, `Playable ${i + 1}`);
    const upload = await timed(() => postFile(api, speaker, talk.id, clip, size));
    const playable = await timed(() => waitPlayable(api, speaker, talk.id));
    await worker.kill();
    await dropFollowUpJobs(stack);
    // With the worker idle again, the same work phase by phase, on the object the API just stored.
    const phases = await ingestPhases(storage, keys.source(talk.id, upload.value.uploadId), await mkdtemp(join(tmpdir(), 'timeshift-bench-phases-')));
    const bareDir = await mkdtemp(join(tmpdir(), 'timeshift-bench-bare-'));
    const bare = await bareRemux(clip, bareDir);
    await rm(bareDir, { recursive: true, force: true });
    const r = { uploadSeconds: upload.seconds, secondsToPlayable: playable.seconds, bareFfmpegSeconds: bare.seconds, ...phases };
    runs.push(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v, 3)])));
    log(`playable ${i + 1}/${REPETITIONS}: ${round(playable.seconds, 2)} s after the 202 (bare ffmpeg ${round(bare.seconds, 2)} s; download ${round(phases.downloadSeconds, 2)} s, segments up ${round(phases.uploadSegmentsSeconds, 2)} s)`);
  }

  const med = (k: string) => round(median(runs.map((r) => r[k]!)), 3);
  const seconds = med('secondsToPlayable');
  const bareSeconds = med('bareFfmpegSeconds');
  return {
    clip: { ...CLIP, bytes: size, file: `.bench-data/${CLIP_FILE}` },
    repetitions: REPETITIONS,
    pollEveryMs: 50,
    uploadSeconds: med('uploadSeconds'),
    secondsToPlayable: seconds,
    bareFfmpegSeconds: bareSeconds,
    ratioToBareFfmpeg: round(seconds / bareSeconds, 2),
    breakdownMedianSeconds: {
      note: 'the worker’s phases re-enacted one by one in the bench process after each run',
      download: med('downloadSeconds'),
      probe: med('probeSeconds'),
      ffmpeg: med('ffmpegSeconds'),
      uploadSegments: med('uploadSegmentsSeconds'),
      probeOutput: med('probeOutputSeconds'),
    },
    runs,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const machine = machineInfo();
  const stack = await startStack('upload');
  const api = await startApi(stack);
  const storage = createS3Storage(loadConfig({ ...process.env, ...stack.env }).s3);
  const facilitator = await loginDemo(api, 'facilitator');
  const speaker = await loginDemo(api, 'speaker');
  const meeting = await createOpenMeeting(api, facilitator, 'Upload benchmark');

  // UPLOAD_BENCH_PART=throughput or =playable runs one part only.
  const part = process.env.UPLOAD_BENCH_PART;
  log('part 1: upload throughput (no worker running)');
  const tp = part === 'playable' ? undefined : await throughput(stack, api, storage, speaker, meeting.id);
  log('part 2: time to playable (one worker)');
  const ttp = part === 'throughput' ? undefined : await timeToPlayable(stack, api, storage, speaker, meeting.id);

  const goals = {
    ...(tp
      ? {
          throughputRatio: { goal: `>= ${GOALS.throughputRatio}`, value: tp.ratio, met: tp.ratio >= GOALS.throughputRatio },
          apiRssGrowthMB: { goal: `< ${GOALS.apiRssGrowthMB}`, value: tp.apiRss.peakGrowthMB, met: tp.apiRss.peakGrowthMB < GOALS.apiRssGrowthMB },
        }
      : {}),
    ...(ttp ? { timeToPlayableSeconds: { goal: `< ${GOALS.timeToPlayableSeconds}`, value: ttp.secondsToPlayable, met: ttp.secondsToPlayable < GOALS.timeToPlayableSeconds } } : {}),
  };
  return {
    benchmark: 'upload',
    units: { MB: '10^6 bytes', time: 'seconds' },
    machine,
    throughput: tp,
    timeToPlayable: ttp,
    goals,
    allGoalsMet: Object.values(goals).every((g) => g.met),
  };
}
