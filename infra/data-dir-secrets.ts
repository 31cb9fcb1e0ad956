import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Secrets generated once for embedded mode and kept in the data directory. */
export interface DataDirSecrets {
  readonly jwtSecret: string;
  readonly postgresPassword: string;
  readonly redisPassword: string;
}

const generate = (bytes: number): string => crypto.randomBytes(bytes).toString('base64url');

/** Loads the data directory's secrets, creating them (or the ones a older version lacked) on first use. */
export async function loadDataDirSecrets(dataDir: string): Promise<DataDirSecrets> {
  const file = path.join(dataDir, 'secrets.json');
  const existing = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (existing) {
    const secrets = JSON.parse(existing) as Partial<DataDirSecrets> & Omit<DataDirSecrets, 'redisPassword'>;
    if (secrets.redisPassword) return secrets as DataDirSecrets;
    // A data directory from before the embedded Redis had a password: add one, keep the rest.
    const upgraded: DataDirSecrets = { ...secrets, redisPassword: generate(24) };
    const staging = `${file}.${process.pid}.tmp`;
    await fs.writeFile(staging, JSON.stringify(upgraded, null, 2), { mode: 0o600 });
    await fs.rename(staging, file);
    return upgraded;
  }
  const secrets: DataDirSecrets = { jwtSecret: generate(48), postgresPassword: generate(24), redisPassword: generate(24) };
  await fs.mkdir(dataDir, { recursive: true });
  // 'wx' so that two processes starting at once cannot overwrite each other's secrets.
  await fs.writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  return JSON.parse(await fs.readFile(file, 'utf8')) as DataDirSecrets;
}
