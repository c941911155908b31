import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { makeWorkerUtils } from 'graphile-worker';
import { createDb } from '@timeshift/shared/db/database';
import { migrateToLatest } from '@timeshift/shared/db/migrate';
import { createS3Storage } from '@timeshift/shared/storage/s3';
import { loadConfig } from '@timeshift/shared/config';
import { seedDemo } from './seed.ts';

/** The session secret of an embedded install lives with its data, so sessions and links survive a restart. */
export async function persistentSecret(dataDir: string): Promise<string> {
  const file = resolve(dataDir, 'session-secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

/** Migrations for our tables and the job queue's, the bucket, and (embedded only) the demo org. */
export async function prepare(env: NodeJS.ProcessEnv, options: { seed: boolean }): Promise<{ seeded: boolean }> {
  const config = loadConfig(env);
  const db = createDb(config.databaseUrl, 2);
  try {
    await migrateToLatest(db);
    const utils = await makeWorkerUtils({ connectionString: config.databaseUrl });
    await utils.migrate();
    await utils.release();
    await createS3Storage(config.s3).ensureBucket();
    const seeded = options.seed ? await seedDemo(db, config.demoPassword) : false;
    return { seeded };
  } finally {
    await db.destroy();
  }
}
