import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '@timeshift/shared/clock';
import type { PasswordHasher } from '../adapters/password.ts';
import { AppError } from '../errors.ts';
import type { SessionActor, SessionsRepository } from '../repositories/sessions.ts';
import type { UsersRepository } from '../repositories/users.ts';

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  orgId: string;
  role: string;
}

/** The cookie holds a random token; the table holds only its hash. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function authService(deps: { users: UsersRepository; sessions: SessionsRepository; hasher: PasswordHasher; clock: Clock }) {
  // Verifying against a real hash when the email is unknown keeps the response time from telling who has an account.
  let dummyHash: Promise<string> | undefined;

  return {
    async login(email: string, password: string): Promise<{ token: string; expiresAt: Date; user: PublicUser }> {
      const member = await deps.users.findMemberByEmail(email.trim());
      dummyHash ??= deps.hasher.hash('timing-equaliser');
      const ok = member?.passwordHash ? await deps.hasher.verify(member.passwordHash, password) : (await deps.hasher.verify(await dummyHash, password), false);
      if (!member || !ok) throw new AppError('INVALID_CREDENTIALS', 401, 'That email and password do not match. Check both and try again.');
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(deps.clock.now().getTime() + SESSION_TTL_MS);
      await deps.sessions.create({ id: sessionIdOf(token), userId: member.id, orgId: member.orgId, expiresAt });
      return { token, expiresAt, user: { id: member.id, email: member.email, name: member.name, orgId: member.orgId, role: member.role } };
    },
    async logout(token: string): Promise<void> {
      await deps.sessions.delete(sessionIdOf(token));
    },
    async resolve(token: string): Promise<SessionActor | undefined> {
      return deps.sessions.findActive(sessionIdOf(token), deps.clock.now());
    },
  };
}
export type AuthService = ReturnType<typeof authService>;

export function toPublicUser(actor: SessionActor): PublicUser {
  return { id: actor.userId, email: actor.email, name: actor.name, orgId: actor.orgId, role: actor.role };
}
