import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Secrets generated once for embedded mode and kept in the data directory. */
export interface DataDirSecrets {
  readonly jwtSecret: string;
  readonly postgresPassword: string;
}

/** Loads the data directory's secrets, creating them on first use. */
export async function loadDataDirSecrets(dataDir: string): Promise<DataDirSecrets> {
  const file = path.join(dataDir, 'secrets.json');
  const existing = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (existing) return JSON.parse(existing) as DataDirSecrets;
  const secrets: DataDirSecrets = {
    jwtSecret: crypto.randomBytes(48).toString('base64url'),
    postgresPassword: crypto.randomBytes(24).toString('base64url'),
  };
  await fs.mkdir(dataDir, { recursive: true });
  // 'wx' so that two processes starting at once cannot overwrite each other's secrets.
  await fs.writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  return JSON.parse(await fs.readFile(file, 'utf8')) as DataDirSecrets;
}
