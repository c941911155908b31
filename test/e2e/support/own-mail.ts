// A product with its own database and its own caught mail. The suite's shared outbox belongs to the
// other tests (the shared e2e worker sends none of it); a journey that needs mail delivered gets a
// database of its own on the same PostgreSQL, migrated and seeded, and its own local SMTP server.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { startMailCatcher } from '../../../scripts/embedded/smtp.ts';
import { prepare } from '../../../scripts/prepare.ts';
import { tempDir } from '../../support/media.ts';

export interface OwnMail {
  /** Environment for the API and worker: the private database, the SMTP server and its mailbox folder. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

async function admin<T>(databaseUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function withOwnMail(): Promise<OwnMail> {
  const shared = process.env.DATABASE_URL;
  if (!shared) throw new Error('DATABASE_URL is not set; the global test setup provides it.');
  const name = `timeshift_mail_${randomBytes(4).toString('hex')}`;
  await admin(shared, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(shared);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await prepare({ ...process.env, DATABASE_URL: databaseUrl }, { seed: true });
  const mail = await startMailCatcher(join(await tempDir('timeshift-e2e-mail-'), 'mailbox'));
  return {
    env: { DATABASE_URL: databaseUrl, SMTP_URL: mail.url, DEV_MAILBOX_DIR: mail.dir },
    async stop() {
      await mail.stop();
      await admin(shared, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
    },
  };
}
