// Live Q&A benchmark of issue 5: 1,000 WebSocket participants in one room, the time from a vote's
// HTTP 200 to its event reaching every participant, and the API's memory; then two API processes
// with 1,000 participants each, fanned out through Postgres LISTEN/NOTIFY.
//
// The participants live in a separate process (this same file, started with LIVE_BENCH_CLIENTS),
// so that the API's RSS is its own and the clients do not share its event loop.
import { randomBytes } from 'node:crypto';
import { writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { createDb } from '@timeshift/shared/db/database';
import { sessionIdOf } from '../../server/src/services/auth-service.ts';
import {
  apiJson,
  createOpenMeeting,
  log,
  loginDemo,
  machineInfo,
  MB,
  nextLine,
  round,
  sampleRss,
  sleep,
  spawnNode,
  startApi,
  startStack,
  type ApiProcess,
  type BenchStack,
} from './support.ts';

export const description = '1,000 WebSocket participants per room: vote HTTP 200 -> event at every client p50/p99/max, API RSS; then 2 API processes x 1,000';

const PARTICIPANTS_PER_API = 1000;
const VOTES = 100;
const GOALS = { p99Ms: 250 };

interface ClientPlan {
  /** Room URLs; participant i connects to urls[i % urls.length]. */
  urls: string[];
  cookies: string[];
  /** API base URLs; vote i goes to apis[i % apis.length]. */
  apis: string[];
  voterCookies: string[];
  questionId: string;
}

interface ClientResult {
  connected: number;
  connectSeconds: number;
  votes: number;
  /** Per vote: from its HTTP 200 until the last participant had the event. */
  toEveryoneMs: number[];
  /** Per vote and participant: from the HTTP 200 until that participant had it (negative: before the 200 arrived). */
  perDeliveryMs: number[];
  /** Per vote: from sending the vote request until the last participant had the event. */
  sentToEveryoneMs: number[];
  httpMs: number[];
  missing: number;
  dropped: number;
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function summary(values: number[]) {
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  return { p50: round(percentile(list, 50), 1), p99: round(percentile(list, 99), 1), max: round(list.at(-1) ?? NaN, 1), samples: list.length };
}

// ---------------------------------------------------------------------------------------------
// The participants' process

async function clientMain(planFile: string): Promise<void> {
  const plan = JSON.parse(await readFile(planFile, 'utf8')) as ClientPlan;
  // Arrival time of each (question votes) event per participant, keyed by the vote count it reports.
  const arrivals = new Map<number, number[]>();
  let dropped = 0;
  const sockets: WebSocket[] = [];
  const started = performance.now();

  const open = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(plan.urls[i % plan.urls.length]!, { headers: { cookie: plan.cookies[i]! } });
      let ready = false;
      socket.on('message', (data) => {
        const text = data.toString();
        if (!ready) {
          if (text.startsWith('{"type":"snapshot"')) {
            ready = true;
            resolve();
          }
          return;
        }
        // Only votes matter here; a cheap check keeps the clients' own CPU out of the figures.
        if (!text.startsWith('{"type":"vote"')) return;
        const at = performance.timeOrigin + performance.now();
        const votes = (JSON.parse(text) as { votes: number }).votes;
        let list = arrivals.get(votes);
        if (!list) arrivals.set(votes, (list = []));
        list.push(at);
      });
      socket.on('close', () => {
        if (ready) dropped++;
      });
      socket.once('unexpected-response', (_req, res) => reject(new Error(`participant ${i} refused: ${res.statusCode}`)));
      socket.once('error', reject);
      sockets.push(socket);
    });

  // Join in waves, as a room fills in the minute before a Q&A, without a thundering herd of upgrades.
  for (let i = 0; i < plan.cookies.length; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, plan.cookies.length - i) }, (_, k) => open(i + k)));
  }
  const connectSeconds = (performance.now() - started) / 1000;
  process.stdout.write(`CONNECTED ${sockets.length}\n`);
  await sleep(1500); // presence updates settle

  const toEveryoneMs: number[] = [];
  const perDeliveryMs: number[] = [];
  const sentToEveryoneMs: number[] = [];
  const httpMs: number[] = [];
  let missing = 0;
  for (let v = 0; v < plan.voterCookies.length; v++) {
    const api = plan.apis[v % plan.apis.length]!;
    const sent = performance.timeOrigin + performance.now();
    const res = await fetch(`${api}/api/v1/questions/${plan.questionId}/vote`, { method: 'POST', headers: { cookie: plan.voterCookies[v]! } });
    const ok = performance.timeOrigin + performance.now();
    if (res.status !== 200) throw new Error(`vote ${v} answered ${res.status}: ${await res.text()}`);
    const { votes } = (await res.json()) as { votes: number };
    httpMs.push(ok - sent);
    const deadline = Date.now() + 5000;
    while ((arrivals.get(votes)?.length ?? 0) < sockets.length && Date.now() < deadline) await sleep(2);
    const got = arrivals.get(votes) ?? [];
    missing += sockets.length - got.length;
    for (const at of got) perDeliveryMs.push(at - ok);
    if (got.length) {
      toEveryoneMs.push(Math.max(...got) - ok);
      sentToEveryoneMs.push(Math.max(...got) - sent);
    }
    await sleep(20);
  }
  const result: ClientResult = { connected: sockets.length, connectSeconds, votes: plan.voterCookies.length, toEveryoneMs, perDeliveryMs, sentToEveryoneMs, httpMs, missing, dropped };
  // The figures go through a file: a megabyte on a pipe could be cut short by the exit.
  await writeFile(`${planFile}.result`, JSON.stringify(result));
  for (const s of sockets) s.terminate();
  process.stdout.write('RESULT\n', () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------
// The benchmark

/** Signed-in employees of the Demo org, written straight to the tables: 2,000 password hashes would only measure argon2. */
async function createParticipants(stack: BenchStack, count: number): Promise<string[]> {
  const db = createDb(stack.env.DATABASE_URL!, 2);
  try {
    const org = await db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select('memberships.org_id')
      .where('users.email', '=', 'employee@demo.test')
      .executeTakeFirstOrThrow();
    const tag = randomBytes(4).toString('hex');
    const cookies: string[] = [];
    for (let start = 0; start < count; start += 500) {
      const n = Math.min(500, count - start);
      const users = await db
        .insertInto('users')
        .values(Array.from({ length: n }, (_, i) => ({ email: `bench${start + i}-${tag}@demo.test`, name: `Bench viewer ${start + i}`, password_hash: null })))
        .returning('id')
        .execute();
      await db.insertInto('memberships').values(users.map((u) => ({ user_id: u.id, org_id: org.org_id, role: 'member' as const }))).execute();
      const tokens = users.map(() => randomBytes(32).toString('base64url'));
      await db
        .insertInto('sessions')
        .values(users.map((u, i) => ({ id: sessionIdOf(tokens[i]!), user_id: u.id, org_id: org.org_id, expires_at: new Date(Date.now() + 86400_000) })))
        .execute();
      cookies.push(...tokens.map((t) => `ts_session=${t}`));
    }
    return cookies;
  } finally {
    await db.destroy();
  }
}

async function scenario(stack: BenchStack, apis: ApiProcess[], participants: string[], voters: string[], label: string) {
  const facilitator = await loginDemo(apis[0]!, 'facilitator');
  const employee = await loginDemo(apis[0]!, 'employee');
  const meeting = await createOpenMeeting(apis[0]!, facilitator, `Live bench ${label}`);
  const question = await apiJson<{ id: string }>(apis[0]!, employee, 'POST', `/meetings/${meeting.id}/questions`, { text: 'What is the plan for next year?' }, 201);

  const rss = apis.map((api) => sampleRss(api.pid, 100));
  const idle = rss.map((r) => r.window());
  const plan: ClientPlan = {
    urls: apis.map((api) => `${api.baseUrl.replace(/^http/, 'ws')}/api/v1/meetings/${meeting.id}/live`),
    cookies: participants,
    apis: apis.map((api) => api.baseUrl),
    voterCookies: voters,
    questionId: question.id,
  };
  const planFile = join(stack.dataDir, `live-plan-${label}.json`);
  await writeFile(planFile, JSON.stringify(plan));

  log(`${label}: connecting ${participants.length} participants to ${apis.length} API process(es)`);
  const clients = spawnNode(stack, `live-clients-${label}`, 'test/bench/live.ts', { env: { LIVE_BENCH_CLIENTS: planFile } });
  await nextLine(clients, (l) => l.startsWith('CONNECTED'), 300_000);
  const connected = rss.map((r) => r.window());
  log(`${label}: all connected; ${voters.length} votes, one at a time`);
  await nextLine(clients, (l) => l.startsWith('RESULT'), 600_000);
  const during = rss.map((r) => r.window());
  for (const r of rss) r.stop();
  await clients.stop();
  const result = JSON.parse(await readFile(`${planFile}.result`, 'utf8')) as ClientResult;

  const toEveryone = summary(result.toEveryoneMs);
  const figures = {
    apiProcesses: apis.length,
    participants: result.connected,
    connectSeconds: round(result.connectSeconds, 1),
    votes: result.votes,
    voteToEveryClientMs: toEveryone,
    voteToEachClientMs: summary(result.perDeliveryMs),
    voteRequestToEveryClientMs: summary(result.sentToEveryoneMs),
    voteHttpMs: summary(result.httpMs),
    deliveriesMissing: result.missing,
    participantsDropped: result.dropped,
    apiRssMB: apis.map((_, i) => ({ idle: idle[i]!.medianMB, withParticipants: connected[i]!.peakMB, peakDuringVotes: during[i]!.peakMB, perParticipantKB: round(((connected[i]!.peakMB - idle[i]!.medianMB) * MB) / 1000 / (result.connected / apis.length), 1) })),
    goalMet: toEveryone.p99 < GOALS.p99Ms && result.missing === 0,
  };
  log(`${label}: ${JSON.stringify(figures)}`);
  return figures;
}

export async function run(): Promise<Record<string, unknown>> {
  const stack = await startStack('live');
  const participants = await createParticipants(stack, 2 * PARTICIPANTS_PER_API + 2 * VOTES);
  const voters = participants.slice(2 * PARTICIPANTS_PER_API);

  const first = await startApi(stack, 'api-1');
  const oneProcess = await scenario(stack, [first], participants.slice(0, PARTICIPANTS_PER_API), voters.slice(0, VOTES), 'one-api');

  const second = await startApi(stack, 'api-2');
  const twoProcesses = await scenario(stack, [first, second], participants.slice(0, 2 * PARTICIPANTS_PER_API), voters.slice(VOTES), 'two-apis');

  return {
    machine: machineInfo(),
    goals: { voteToEveryClientP99Ms: GOALS.p99Ms },
    oneApiProcess: oneProcess,
    twoApiProcesses: twoProcesses,
    notes: [
      'voteToEveryClientMs runs from the moment the vote HTTP 200 reaches the voter to the moment the event reaches the last participant; votes are sent one at a time, 20 ms apart.',
      'The API starts the fan-out as soon as the vote commits, before it writes the 200, so some participants have the event before the voter has the answer (negative values); voteRequestToEveryClientMs counts from sending the request instead.',
      'Participants run in one separate Node process on the same 2-core machine, so their own event loop is part of the figure.',
      'With two API processes, participant i joins process i % 2 and votes alternate between them; events reach the other process through LISTEN/NOTIFY.',
    ],
  };
}

if (process.env.LIVE_BENCH_CLIENTS) {
  clientMain(process.env.LIVE_BENCH_CLIENTS).catch((e) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
