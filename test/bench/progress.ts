// Progress writes from 2,000 simulated viewers, one every 10 s each (200 writes/s), against one API process:
// latency percentiles seen by the clients and the share of CPU the API used doing it.
import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Agent, request as httpRequest } from 'node:http';
import { sql } from 'kysely';
import { createDb } from '@timeshift/shared/db/database';
import {
  apiJson,
  cachedFile,
  createOpenMeeting,
  createTalk,
  log,
  loginDemo,
  machineInfo,
  onCleanup,
  round,
  sleep,
  startApi,
  startStack,
  startWorker,
} from './support.ts';

export const description = '2,000 viewers report progress every 10 s against one API: p50/p99 latency and API CPU (goal p99 < 50 ms)';

const VIEWERS = Number(process.env.BENCH_VIEWERS || 2000);
const PERIOD_MS = 10_000;
const MEASURE_MS = Number(process.env.BENCH_SECONDS || 60) * 1000;
const CLIP_SECONDS = 180;
const exec = promisify(execFile);

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat; after "comm)" they are at 11 and 12, in clock ticks (100/s on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function makeClip(path: string): Promise<void> {
  // Tiny frames and one keyframe a second: the benchmark needs a long playable talk, not a pretty one.
  await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=5', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', String(CLIP_SECONDS), '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '5', '-c:a', 'aac', '-f', 'mp4', path]);
}

export async function run(): Promise<Record<string, unknown>> {
  const machine = machineInfo();
  const stack = await startStack('progress');
  const api = await startApi(stack);
  const worker = await startWorker(stack);

  const facilitator = await loginDemo(api, 'facilitator');
  const speaker = await loginDemo(api, 'speaker');
  const meeting = await createOpenMeeting(api, facilitator, 'Progress benchmark');
  const talk = await createTalk(api, speaker, meeting.id, 'Three minutes');
  const clip = await cachedFile('progress-clip-180s.mp4', makeClip);
  const form = new FormData();
  form.append('file', new Blob([await readFile(clip)], { type: 'video/mp4' }), 'clip.mp4');
  const upload = await fetch(`${api.baseUrl}/api/v1/talks/${talk.id}/source`, { method: 'POST', headers: { cookie: speaker }, body: form });
  if (upload.status !== 202) throw new Error(`upload answered ${upload.status}: ${await upload.text()}`);
  for (let i = 0; ; i++) {
    const state = (await apiJson<{ state: string }>(api, speaker, 'GET', `/talks/${talk.id}`)).state;
    if (state === 'playable' || state === 'ready') break;
    if (state === 'failed' || i > 600) throw new Error(`the talk did not become playable (${state})`);
    await sleep(200);
  }
  // The worker's media steps would compete with the API for the two cores; the talk is playable, so stop it.
  await worker.stop();

  // 2,000 people of the demo org with sessions made directly: signing each in would measure argon2, not progress.
  log(`creating ${VIEWERS} viewers`);
  const db = createDb(stack.env.DATABASE_URL!, 2);
  onCleanup(() => db.destroy());
  const org = await db.selectFrom('orgs').select('id').where('name', '=', 'Demo').executeTakeFirstOrThrow();
  const tag = randomBytes(3).toString('hex');
  const tokens: string[] = [];
  for (let start = 0; start < VIEWERS; start += 500) {
    const n = Math.min(500, VIEWERS - start);
    const users = await db
      .insertInto('users')
      .values(Array.from({ length: n }, (_, i) => ({ email: `viewer-${tag}-${start + i}@bench.test`, name: `Viewer ${start + i}`, password_hash: null })))
      .returning('id')
      .execute();
    await db.insertInto('memberships').values(users.map((u) => ({ user_id: u.id, org_id: org.id, role: 'member' as const }))).execute();
    const batch = users.map(() => randomBytes(32).toString('base64url'));
    await db
      .insertInto('sessions')
      .values(users.map((u, i) => ({ id: createHash('sha256').update(batch[i]!).digest('hex'), user_id: u.id, org_id: org.id, expires_at: new Date(Date.now() + 86400_000) })))
      .execute();
    tokens.push(...batch);
  }

  // Kept-alive sockets, enough that a slow answer queues nothing behind it on the client side.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const url = new URL(`${api.baseUrl}/api/v1/talks/${talk.id}/progress`);
  const post = (token: string, body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', agent, headers: { cookie: `ts_session=${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let measuring = false;
  let stopping = false;
  const inFlight = new Set<Promise<void>>();

  const viewer = async (token: string, offsetMs: number) => {
    await sleep(offsetMs);
    let position = Math.floor(Math.random() * 20);
    while (!stopping) {
      const next = Date.now() + PERIOD_MS;
      const end = Math.min(position + 10, CLIP_SECONDS - 1);
      const started = performance.now();
      const request = post(token, JSON.stringify({ ranges: [[position, end]], positionSec: end }))
        .then((status) => {
          const ms = performance.now() - started;
          if (!measuring) return;
          if (status === 200) latencies.push(ms);
          else failures[status] = (failures[status] ?? 0) + 1;
        })
        .catch((e: Error) => {
          if (measuring) failures[e.message] = (failures[e.message] ?? 0) + 1;
        });
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
      position = end >= CLIP_SECONDS - 1 ? 0 : end;
      await sleep(Math.max(0, next - Date.now()));
    }
  };

  log(`${VIEWERS} viewers start, spread over the first ${PERIOD_MS / 1000} s; measuring ${MEASURE_MS / 1000} s after one period of warm-up`);
  const viewers = tokens.map((token, i) => viewer(token, (i / VIEWERS) * PERIOD_MS));
  await sleep(PERIOD_MS);
  measuring = true;
  const cpuStart = cpuSeconds(api.pid);
  const wallStart = performance.now();
  await sleep(MEASURE_MS);
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const apiCpuSeconds = cpuSeconds(api.pid) - cpuStart;
  measuring = false;
  stopping = true;
  await Promise.all(viewers);
  await Promise.all(inFlight);
  agent.destroy();

  const stored = await sql<{ rows: string; avg: number }>`select count(*) as rows, avg(completion) as avg from watch_progress where talk_id = ${talk.id}`.execute(db);
  const sorted = [...latencies].sort((a, b) => a - b);
  const p99 = percentile(sorted, 99);
  return {
    machine,
    viewers: VIEWERS,
    periodSeconds: PERIOD_MS / 1000,
    measuredSeconds: round(wallSeconds, 1),
    requests: sorted.length,
    throughputPerSecond: round(sorted.length / wallSeconds, 1),
    failures,
    latencyMs: {
      p50: round(percentile(sorted, 50), 1),
      p90: round(percentile(sorted, 90), 1),
      p99: round(p99, 1),
      max: round(sorted[sorted.length - 1] ?? NaN, 1),
    },
    // Of one core, and of the whole machine: the load generator and PostgreSQL share the same cores.
    apiCpu: { seconds: round(apiCpuSeconds, 1), shareOfOneCore: round(apiCpuSeconds / wallSeconds, 3), shareOfMachine: round(apiCpuSeconds / wallSeconds / machine.cpus, 3) },
    progressRows: Number(stored.rows[0]?.rows ?? 0),
    goals: { p99BelowMs: 50, met: p99 < 50 && Object.keys(failures).length === 0 },
  };
}
