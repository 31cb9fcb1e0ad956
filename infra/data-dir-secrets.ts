import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Secrets generated once for embedded mode and kept in the data directory. */
export interface DataDirSecrets {
  readonly jwtSecret: string;
  /** The schema owner's: migrations only. */
  readonly postgresPassword: string;
  /** The application role's: every API and worker connection. */
  readonly postgresAppPassword: string;
  readonly redisPassword: string;
}

const generate = (bytes: number): string => crypto.randomBytes(bytes).toString('base64url');

const generateAll = (): DataDirSecrets => ({ jwtSecret: generate(48), postgresPassword: generate(24), postgresAppPassword: generate(24), redisPassword: generate(24) });

/** Loads the data directory's secrets, creating them (or the ones an older version lacked) on first use. */
export async function loadDataDirSecrets(dataDir: string): Promise<DataDirSecrets> {
  const file = path.join(dataDir, 'secrets.json');
  const existing = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (existing) {
    const secrets = JSON.parse(existing) as Partial<DataDirSecrets>;
    const fresh = generateAll();
    const missing = (Object.keys(fresh) as (keyof DataDirSecrets)[]).filter((key) => !secrets[key]);
    if (!missing.length) return secrets as DataDirSecrets;
    // A data directory from an older version (before the Redis password, before the application
    // role): add what it lacks, keep the rest.
    const upgraded: DataDirSecrets = { ...fresh, ...secrets } as DataDirSecrets;
    const staging = `${file}.${process.pid}.tmp`;
    await fs.writeFile(staging, JSON.stringify(upgraded, null, 2), { mode: 0o600 });
    await fs.rename(staging, file);
    return upgraded;
  }
  const secrets = generateAll();
  await fs.mkdir(dataDir, { recursive: true });
  // 'wx' so that two processes starting at once cannot overwrite each other's secrets.
  await fs.writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  return JSON.parse(await fs.readFile(file, 'utf8')) as DataDirSecrets;
}
