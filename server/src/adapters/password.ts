import { hash, verify } from '@node-rs/argon2';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

// argon2id with the library's defaults (19 MiB, 2 passes): OWASP's minimum recommendation.
export const argon2Hasher: PasswordHasher = {
  hash: (password) => hash(password),
  verify: (stored, password) => verify(stored, password).catch(() => false),
};
