// A database of its own on the suite's PostgreSQL, migrated and seeded: for a test that must not share
// the job queue with the other test files' workers.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { prepare } from '../../scripts/prepare.ts';

async function onServer(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createOwnDatabase(prefix = 'timeshift_own'): Promise<{ databaseUrl: string; drop(): Promise<void> }> {
  const shared = process.env.DATABASE_URL;
  if (!shared) throw new Error('DATABASE_URL is not set; the global test setup provides it.');
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await onServer(shared, `CREATE DATABASE ${name}`);
  const url = new URL(shared);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await prepare({ ...process.env, DATABASE_URL: databaseUrl }, { seed: false });
  return { databaseUrl, drop: () => onServer(shared, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined) };
}
