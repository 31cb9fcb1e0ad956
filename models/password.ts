import { hash, verify } from '@node-rs/argon2';

// Argon2id with OWASP's recommended floor (19 MiB, 2 passes): memory-hard, ~20 ms on this machine.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with Argon2id (memory-hard, salted). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// A real hash to verify against when the user does not exist, so that the response time
// does not reveal which usernames exist.
const decoyHash = hashPassword('decoy-password-never-matches');

/** Checks a password against a stored hash, or against a decoy when there is none. */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  const target = storedHash ?? (await decoyHash);
  const ok = await verify(target, password).catch(() => false);
  return ok && storedHash !== undefined;
}
