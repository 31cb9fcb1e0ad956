import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../errors.js';

// Argon2id with OWASP's recommended floor (19 MiB, 2 passes): memory-hard, ~20 ms on this machine.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * At most this many Argon2 computations run at once: they share libuv's four threads with file and
 * DNS work, and 19 MiB each. A login flood queues behind the cap instead of starving the process.
 */
export const MAX_CONCURRENT_HASHES = 2;
// Past this many waiting, a login is refused (503) rather than queued for seconds.
const MAX_WAITING = 32;

let running = 0;
let peak = 0;
const waiting: (() => void)[] = [];

/** How many Argon2 computations ran at once at most since the last reset (for tests and metrics). */
export const hashingLoad = {
  peak: (): number => peak,
  resetPeak: (): void => {
    peak = running;
  },
};

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) {
    if (waiting.length >= MAX_WAITING) throw new AppError(503, 'unavailable', 'Too many sign-ins at once; try again in a moment');
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running += 1;
  }
  peak = Math.max(peak, running);
  try {
    return await work();
  } finally {
    // The slot passes straight to the next waiter, so `running` never dips below the queue's need.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

/** Hashes a password with Argon2id (memory-hard, salted). */
export function hashPassword(password: string): Promise<string> {
  return limited(() => hash(password, OPTIONS));
}

// A real hash to verify against when the user does not exist, so that the response time
// does not reveal which usernames exist.
let decoyHash: Promise<string> | undefined;

/** Checks a password against a stored hash, or against a decoy when there is none. */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  decoyHash ??= hashPassword('decoy-password-never-matches');
  const target = storedHash ?? (await decoyHash);
  const ok = await limited(() => verify(target, password).catch(() => false));
  return ok && storedHash !== undefined;
}
