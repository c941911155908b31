// Runs the product as "npm start" does (API serving the web build, plus one worker) on the test run's
// real PostgreSQL and S3, as child processes on a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { ensureWebBuild } from '../../../scripts/web-build.ts';

const root = resolve(import.meta.dirname, '../../..');

export interface RunningProduct {
  baseUrl: string;
  /** What the API and worker printed, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

/**
 * `env` overrides the run's settings for both processes. `sendMail` lets the worker deliver mail: only
 * with a database of its own (support/own-mail.ts), never from the suite's shared outbox.
 */
export async function startProduct(options: { env?: NodeJS.ProcessEnv; sendMail?: boolean } = {}): Promise<RunningProduct> {
  ensureWebBuild((line) => console.log(line));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'warn' };
  const lines: string[] = [];
  const children: ChildProcess[] = [];
  const run = (name: string, entry: string, extraEnv: NodeJS.ProcessEnv = {}) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(`[${name}] ${line}`);
      if (lines.length > 400) lines.splice(0, lines.length - 400);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    children.push(child);
    return child;
  };
  const api = run('api', 'server/src/main.ts');
  // The suite shares one outbox: this worker must not send other tests' mail with its own links.
  run('worker', 'workers/src/main.ts', options.sendMail ? {} : { SMTP_URL: '' });

  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((done) => {
            if (c.exitCode !== null || c.signalCode !== null) return done();
            const force = setTimeout(() => c.kill('SIGKILL'), 10_000);
            c.once('exit', () => {
              clearTimeout(force);
              done();
            });
            c.kill('SIGTERM');
          }),
      ),
    );
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (api.exitCode !== null) {
      await stop();
      throw new Error(`The API exited during start-up:\n${lines.join('\n')}`);
    }
    const health = await fetch(`${baseUrl}/api/v1/health`).catch(() => undefined);
    if (health?.ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The API did not become healthy within 60 s:\n${lines.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { baseUrl, output: () => lines.join('\n'), stop };
}
