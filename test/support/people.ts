import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database, Role } from '@timeshift/shared/db/schema';
import { argon2Hasher } from '../../server/src/adapters/password.ts';
import { usersRepository } from '../../server/src/repositories/users.ts';

export const PASSWORD = 'correct horse battery staple';
let cachedHash: Promise<string> | undefined;

export interface Person {
  id: string;
  email: string;
  role: Role;
  cookie: string;
}

export type Org = { id: string } & Record<'admin' | 'facilitator' | 'speaker' | 'otherSpeaker' | 'member', Person>;

/** A fresh organisation with one person per role, each signed in: tests never share tenants. */
export async function createOrg(app: FastifyInstance, db: Kysely<Database>): Promise<Org> {
  const users = usersRepository(db);
  const tag = randomUUID().slice(0, 8);
  const org = await users.createOrg(`Org ${tag}`);
  cachedHash ??= argon2Hasher.hash(PASSWORD);
  const passwordHash = await cachedHash;
  const roles: [keyof Omit<Org, 'id'>, Role][] = [
    ['admin', 'admin'],
    ['facilitator', 'facilitator'],
    ['speaker', 'speaker'],
    ['otherSpeaker', 'speaker'],
    ['member', 'member'],
  ];
  const out: Record<string, unknown> = { id: org.id };
  for (const [key, role] of roles) {
    const email = `${key.toLowerCase()}-${tag}@example.test`;
    const user = await users.createMember({ orgId: org.id, email, name: `${key} ${tag}`, passwordHash, role });
    out[key] = { id: user.id, email, role, cookie: await login(app, email, PASSWORD) };
  }
  return out as Org;
}

export async function login(app: FastifyInstance, email: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed for ${email}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'ts_session');
  if (!cookie) throw new Error('no session cookie');
  return `ts_session=${cookie.value}`;
}
