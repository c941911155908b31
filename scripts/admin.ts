// "npm run admin -- create --email a@b.c --name 'Ada' --org 'Acme' [--password ...]": the first admin of an
// organisation, for installs where nothing is seeded. Reads DATABASE_URL like the API does.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createDb } from '@timeshift/shared/db/database';
import { migrateToLatest } from '@timeshift/shared/db/migrate';
import { argon2Hasher } from '../server/src/adapters/password.ts';
import { usersRepository } from '../server/src/repositories/users.ts';

const USAGE = 'Usage: npm run admin -- create --email ADDRESS --name "FULL NAME" --org "ORGANISATION" [--password PASSWORD]\n' +
  'The password may also come from ADMIN_PASSWORD; without one, a random password is printed.';

export async function createAdmin(databaseUrl: string, input: { email: string; name: string; org: string; password?: string }) {
  const email = input.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new Error(`"${input.email}" is not an email address.`);
  if (!input.name.trim()) throw new Error('--name must not be empty.');
  if (!input.org.trim()) throw new Error('--org must not be empty.');
  const password = input.password ?? randomBytes(12).toString('base64url');
  if (password.length < 10) throw new Error('Choose a password of at least 10 characters.');
  const db = createDb(databaseUrl, 2);
  try {
    await migrateToLatest(db);
    const users = usersRepository(db);
    if (await users.findMemberByEmail(email)) throw new Error(`${email} already has an account; sign in with it instead.`);
    const org = (await users.findOrgByName(input.org.trim())) ?? (await users.createOrg(input.org.trim()));
    const user = await users.createMember({ orgId: org.id, email, name: input.name.trim(), passwordHash: await argon2Hasher.hash(password), role: 'admin' });
    return { userId: user.id, orgId: org.id, email, password, generated: input.password === undefined };
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: 'string' }, name: { type: 'string' }, org: { type: 'string' }, password: { type: 'string' } },
  });
  if (positionals[0] !== 'create' || !values.email || !values.name || !values.org) throw new Error(USAGE);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set. Point it at the Postgres the API uses (see README, Configuration).');
  const made = await createAdmin(databaseUrl, { email: values.email, name: values.name, org: values.org, password: values.password ?? process.env.ADMIN_PASSWORD });
  console.log(`✔ ${made.email} is an admin of "${values.org}".`);
  if (made.generated) console.log(`  Password: ${made.password}  (change it after signing in)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(`✖ ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
