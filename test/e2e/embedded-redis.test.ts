import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import pino from 'pino';
import { loadDataDirSecrets } from '../../infra/data-dir-secrets.js';
import { startRedisServer } from '../../infra/redis-server.js';

describe('embedded Redis password', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hotline-hub-redis-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('when the data dir has no Redis password nor application role password yet, then they are generated next to the other secrets and kept', async () => {
    await fs.writeFile(path.join(dir, 'secrets.json'), JSON.stringify({ jwtSecret: 'j'.repeat(48), postgresPassword: 'p'.repeat(24) }));
    const first = await loadDataDirSecrets(dir);
    expect(first.redisPassword).to.have.length.greaterThan(20);
    expect(first.postgresAppPassword).to.have.length.greaterThan(20);
    expect(first.postgresAppPassword).not.to.equal(first.postgresPassword);
    expect(first.jwtSecret).to.equal('j'.repeat(48));
    expect(first.postgresPassword).to.equal('p'.repeat(24));
    expect(await loadDataDirSecrets(dir)).to.deep.equal(first);
  });

  it('when a client connects without the password, then Redis refuses it; with it, Redis answers', async () => {
    const server = await startRedisServer(path.join(dir, 'redis'), 'a-generated-redis-password', pino({ level: 'silent' }));
    const anonymous = new Redis(`redis://127.0.0.1:${server.port}`, { lazyConnect: true, maxRetriesPerRequest: 0 });
    const authorised = new Redis(server.url, { lazyConnect: true });
    try {
      await anonymous.connect().catch(() => undefined);
      const refused = await anonymous.ping().then(() => undefined, (error: Error) => error);
      expect(refused?.message).to.match(/NOAUTH|Authentication required/);
      expect(await authorised.ping()).to.equal('PONG');
      const conf = await fs.stat(path.join(dir, 'redis', 'redis.conf'));
      expect(conf.mode & 0o077).to.equal(0);
    } finally {
      anonymous.disconnect();
      authorised.disconnect();
      await server.stop();
    }
  });
});
