import type { Kysely } from 'kysely';
import type { Database, Role } from '@timeshift/shared/db/schema';
import { argon2Hasher } from '../server/src/adapters/password.ts';
import { usersRepository } from '../server/src/repositories/users.ts';

export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: 'admin@demo.test', name: 'Ada Admin', role: 'admin' },
  { email: 'facilitator@demo.test', name: 'Fay Facilitator', role: 'facilitator' },
  { email: 'speaker@demo.test', name: 'Sam Speaker', role: 'speaker' },
  { email: 'employee@demo.test', name: 'Eli Employee', role: 'member' },
];

/** Seeds the demo organisation of API.md once; a later start leaves it as it is. */
export async function seedDemo(db: Kysely<Database>, password: string): Promise<boolean> {
  const users = usersRepository(db);
  if (await users.findOrgByName('Demo')) return false;
  const org = await users.createOrg('Demo');
  const passwordHash = await argon2Hasher.hash(password);
  for (const u of DEMO_USERS) await users.createMember({ orgId: org.id, passwordHash, ...u });
  return true;
}
