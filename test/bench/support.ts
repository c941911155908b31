// Shared machinery of the benchmarks: a real stack in a throw-away folder, the API and worker as
// child processes (so their memory is their own), RSS sampling, statistics, and demo logins.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../scripts/embedded/free-port.ts';
import { provisionStack } from '../../scripts/embedded/stack.ts';
import { prepare } from '../../scripts/prepare.ts';

export const root = resolve(import.meta.dirname, '../..');
/** Generated media is cached here between runs (git-ignored). */
export const benchData = resolve(root, '.bench-data');

/** Progress goes to stderr so that stdout carries only the JSON result. */
export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Clean-up: whatever a benchmark starts is registered here, and run.ts stops it on exit or Ctrl-C.

const cleanups: (() => Promise<void>)[] = [];

export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

let cleaning: Promise<void> | undefined;

/** Stops everything registered, newest first. Concurrent callers (Ctrl-C during a failure) share one pass. */
export function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) await cleanups.pop()!().catch((e) => log(`clean-up failed: ${String(e)}`));
  })().finally(() => (cleaning = undefined));
  return cleaning;
}

// ---------------------------------------------------------------------------------------------
// Statistics

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Rounds for the report: enough digits to compare runs, not so many that they read as precise. */
export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Decimal megabytes (10^6 bytes), the unit of every MB and MB/s in the reports. */
export const MB = 1e6;

export function machineInfo() {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    totalMemoryMB: round(totalmem() / MB, 0),
    freeMemoryMB: round(freemem() / MB, 0),
    // Other work on the machine skews every figure; the load at start says how much.
    loadAverage1m: round(loadavg()[0] ?? 0, 2),
  };
}

// ---------------------------------------------------------------------------------------------
// Memory of a child process

export interface RssWindow {
  samples: number;
  minMB: number;
  medianMB: number;
  peakMB: number;
}

export interface RssSampler {
  /** Statistics of the samples taken since the previous call (or the start), then starts a new window. */
  window(): RssWindow;
  stop(): void;
}

/** Resident set size in bytes from /proc (Linux), or undefined once the process is gone. */
export function readRss(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function readCpuSeconds(pid: number): number {
  // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}
/** USER_HZ, which Linux fixes at 100 for /proc on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Samples a process's RSS every `everyMs`, so that short peaks between requests are seen too. */
export function sampleRss(pid: number, everyMs = 50): RssSampler {
  let current: number[] = [];
  const take = () => {
    const rss = readRss(pid);
    if (rss !== undefined) current.push(rss);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    window() {
      take();
      const values = current;
      current = [];
      return {
        samples: values.length,
        minMB: round(Math.min(...values) / MB, 1),
        medianMB: round(median(values) / MB, 1),
        peakMB: round(Math.max(...values) / MB, 1),
      };
    },
    stop: () => clearInterval(timer),
  };
}

// ---------------------------------------------------------------------------------------------
// The stack: embedded PostgreSQL and S3 in a temp folder, migrated and seeded with the demo org.

export interface BenchStack {
  dataDir: string;
  /** The environment every Timeshift process of this stack needs (DATABASE_URL, S3_*, SESSION_SECRET). */
  env: Record<string, string>;
  /** Child-process logs of this run, kept after the run for a post-mortem. */
  logDir: string;
  /** TMPDIR of the child processes, inside dataDir. */
  tmpDir: string;
}

/**
 * Always embedded, whatever DATABASE_URL or S3_ENDPOINT say: a benchmark must not write gigabytes
 * into someone's real bucket, and its figures should compare across machines.
 */
export async function startStack(name: string): Promise<BenchStack> {
  const dataDir = await mkdtemp(join(tmpdir(), `timeshift-bench-${name}-`));
  // The embedded PostgreSQL runs as the "postgres" user, which must reach this folder.
  await chmod(dataDir, 0o755);
  const logDir = join(benchData, 'logs', name);
  await mkdir(logDir, { recursive: true });
  log(`provisioning PostgreSQL and S3 in ${dataDir}`);
  const stack = await provisionStack(dataDir, log, {});
  onCleanup(async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const env = { ...stack.env, DATA_DIR: dataDir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  await prepare({ ...process.env, ...env }, { seed: true });
  const tmpDir = join(dataDir, 'tmp');
  await mkdir(tmpDir, { recursive: true });
  return { dataDir, env, logDir, tmpDir };
}

// ---------------------------------------------------------------------------------------------
// Child processes

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** SIGTERM to the child and what it started (ffmpeg), SIGKILL after 10 s. */
  stop(): Promise<void>;
  /** SIGKILL to the child and what it started, at once: for a worker busy with jobs the benchmark does not measure. */
  kill(): Promise<void>;
}

/**
 * Runs a TypeScript entry point of the repository (`node --import tsx ENTRY ARGS`) with the stack's
 * environment. Its output goes to `<logDir>/<label>.log`; stdin is a pipe when asked for.
 */
export function spawnNode(stack: BenchStack, label: string, entry: string, options: { env?: Record<string, string>; args?: string[]; stdin?: boolean } = {}): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', entry, ...(options.args ?? [])], {
    cwd: root,
    // Temp files (the worker's ffmpeg folders) live in the stack's folder and go with it.
    env: { ...process.env, ...stack.env, TMPDIR: stack.tmpDir, ...options.env },
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    // Its own process group, so that stopping it also stops the ffmpeg processes it spawned.
    detached: true,
  });
  const out = createWriteStream(join(stack.logDir, `${label}.log`));
  proc.stdout!.pipe(out, { end: false });
  proc.stderr!.pipe(out, { end: false });
  if (proc.pid === undefined) throw new Error(`could not start ${entry}`);
  const pid = proc.pid;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const ended = new Promise<void>((done) => proc.once('exit', () => done()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const force = setTimeout(() => signalGroup('SIGKILL'), 10_000);
      signalGroup('SIGTERM');
      await ended;
      clearTimeout(force);
    }
    // Grandchildren (ffmpeg) may outlive a child that exited on SIGTERM.
    signalGroup('SIGKILL');
  };
  const kill = async () => {
    signalGroup('SIGKILL');
    if (proc.exitCode === null && proc.signalCode === null) await ended;
  };
  onCleanup(stop);
  return { proc, pid, stop, kill };
}

/** The next line the child prints on stdout that `matches`; rejects if the child exits first. */
export function nextLine(child: Child, matches: (line: string) => boolean, timeoutMs = 600_000): Promise<string> {
  return new Promise((resolveLine, reject) => {
    let buffer = '';
    const finish = (error?: Error, line?: string) => {
      clearTimeout(timer);
      child.proc.stdout!.off('data', onData);
      child.proc.off('exit', onExit);
      if (error) reject(error);
      else resolveLine(line!);
    };
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      const hit = lines.find(matches);
      if (hit !== undefined) finish(undefined, hit);
    };
    const onExit = (code: number | null) => finish(new Error(`child ${child.pid} exited with code ${code} before printing the expected line`));
    const timer = setTimeout(() => finish(new Error(`child ${child.pid} printed no expected line within ${timeoutMs} ms`)), timeoutMs);
    child.proc.stdout!.on('data', onData);
    child.proc.once('exit', onExit);
  });
}

function exitedEarly(child: Child, what: string, logFile: string): Promise<never> {
  return new Promise((_, reject) =>
    child.proc.once('exit', (code) => reject(new Error(`${what} exited with code ${code} before it was ready; see ${logFile}`))),
  );
}

export interface ApiProcess extends Child {
  baseUrl: string;
}

/** The real API (`server/src/main.ts`) on a free loopback port, without the web build. */
export async function startApi(stack: BenchStack, label = 'api'): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawnNode(stack, label, 'server/src/main.ts', { env: { SERVE_WEB: 'false', PORT: String(port), HOST: '127.0.0.1' } });
  const baseUrl = `http://127.0.0.1:${port}`;
  const logFile = join(stack.logDir, `${label}.log`);
  const ready = (async () => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`${baseUrl}/api/v1/health`).then((r) => r.ok, () => false);
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`the API did not become healthy within 60 s; see ${logFile}`);
      await sleep(200);
    }
  })();
  await Promise.race([ready, exitedEarly(child, 'the API', logFile)]);
  log(`API up at ${baseUrl} (pid ${child.pid})`);
  return { ...child, baseUrl };
}

/** One real worker (`workers/src/main.ts`), ready once graphile-worker says it is looking for jobs. */
export async function startWorker(stack: BenchStack): Promise<Child> {
  const child = spawnNode(stack, 'worker', 'workers/src/main.ts');
  const logFile = join(stack.logDir, 'worker.log');
  const ready = new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not report ready within 60 s; see ${logFile}`)), 60_000);
    let seen = '';
    const watch = (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4096);
      if (/looking for jobs/i.test(seen)) {
        clearTimeout(timer);
        child.proc.stdout!.off('data', watch);
        child.proc.stderr!.off('data', watch);
        resolveReady();
      }
    };
    child.proc.stdout!.on('data', watch);
    child.proc.stderr!.on('data', watch);
  });
  await Promise.race([ready, exitedEarly(child, 'the worker', logFile)]);
  log(`worker up (pid ${child.pid})`);
  return child;
}

// ---------------------------------------------------------------------------------------------
// Talking to the API as the demo users

export const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'timeshift-demo';
export type DemoUser = 'admin' | 'facilitator' | 'speaker' | 'employee';

/** Logs a seeded demo user in and returns the `ts_session=...` cookie to send. */
export async function loginDemo(api: { baseUrl: string }, who: DemoUser): Promise<string> {
  const res = await fetch(`${api.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${who}@demo.test`, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login as ${who}@demo.test failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  if (!cookie?.startsWith('ts_session=')) throw new Error('login gave no session cookie');
  return cookie;
}

/** A JSON request that must answer `expect`; anything else stops the benchmark with the body. */
export async function apiJson<T = Record<string, unknown>>(
  api: { baseUrl: string },
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
  expect = 200,
): Promise<T> {
  const res = await fetch(`${api.baseUrl}/api/v1${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status !== expect) throw new Error(`${method} ${path} answered ${res.status}, expected ${expect}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** A meeting whose viewing window is open now, created by the demo facilitator. */
export async function createOpenMeeting(api: { baseUrl: string }, facilitator: string, title: string): Promise<{ id: string }> {
  const now = Date.now();
  return apiJson(api, facilitator, 'POST', '/meetings', { title, windowOpensAt: new Date(now - 3600_000).toISOString(), windowClosesAt: new Date(now + 7 * 86400_000).toISOString() }, 201);
}

export async function createTalk(api: { baseUrl: string }, speaker: string, meetingId: string, title: string): Promise<{ id: string; state: string }> {
  return apiJson(api, speaker, 'POST', `/meetings/${meetingId}/talks`, { title }, 201);
}

// ---------------------------------------------------------------------------------------------
// Cached generated media

/**
 * Returns `.bench-data/<name>`, making it with `make(partialPath)` the first time. The file appears
 * under its name only when complete, so an interrupted run never leaves a truncated cache.
 */
export async function cachedFile(name: string, make: (path: string) => Promise<void>): Promise<string> {
  const path = join(benchData, name);
  if (existsSync(path)) return path;
  await mkdir(benchData, { recursive: true });
  const partial = `${path}.partial`;
  await make(partial);
  await rename(partial, path);
  return path;
}
