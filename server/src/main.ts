import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { systemClock } from '@timeshift/shared/clock';
import { loadConfig } from '@timeshift/shared/config';
import { createDb } from '@timeshift/shared/db/database';
import { createS3Storage } from '@timeshift/shared/storage/s3';
import { argon2Hasher } from './adapters/password.ts';
import { createGraphileQueue } from './adapters/queue.ts';
import { buildApp, type AppDeps } from './app.ts';
import { loggerOptions } from './logger.ts';

const webBuild = fileURLToPath(new URL('../../web/build/handler.js', import.meta.url));

async function loadWebHandler(): Promise<AppDeps['webHandler']> {
  if (process.env.SERVE_WEB === 'false' || !existsSync(webBuild)) return undefined;
  return ((await import(pathToFileURL(webBuild).href)) as { handler: AppDeps['webHandler'] }).handler;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const db = createDb(config.databaseUrl);
  const storage = createS3Storage(config.s3);
  const queue = await createGraphileQueue(config.databaseUrl);
  const webHandler = await loadWebHandler();
  const app = await buildApp({
    db,
    storage,
    s3: config.s3,
    queue,
    clock: systemClock,
    hasher: argon2Hasher,
    config: { maxUploadBytes: config.maxUploadBytes, sessionSecret: config.sessionSecret, secureCookies: config.secureCookies, publicUrl: config.publicUrl, databaseUrl: config.databaseUrl, devMailboxDir: process.env.DEV_MAILBOX_DIR || undefined },
    webHandler,
    logger: loggerOptions,
  });
  if (!webHandler) app.log.warn('web/build is missing: only the API is served. Run "npm run build:web".');

  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'closing');
    await app.close().catch(() => undefined);
    await Promise.allSettled([queue.close(), db.destroy()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void close('SIGINT'));
  process.on('SIGTERM', () => void close('SIGTERM'));

  await app.listen({ port: config.port, host: process.env.HOST || '0.0.0.0' });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
