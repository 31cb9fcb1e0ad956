import path from 'node:path';
import type { Config } from '../config.js';
import { loadDataDirSecrets } from './data-dir-secrets.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import type { Logger } from './logger.js';
import { startRedisServer } from './redis-server.js';

/** The PostgreSQL and Redis this process uses, and how to stop the ones it started. */
export interface BackingServices {
  /** The application's connection: every API and worker pool. */
  readonly databaseUrl: string;
  /** The schema owner's connection: migrations and seeds only. */
  readonly databaseOwnerUrl: string;
  readonly redisUrl: string;
  readonly jwtSecret: string;
  readonly embedded: { readonly postgres: boolean; readonly redis: boolean };
  /** Where the embedded PostgreSQL keeps its cluster, and as which system user it runs (root only). */
  readonly postgresCluster?: { readonly dir: string; readonly runAs?: string };
  stop(): Promise<void>;
}

/**
 * Uses DATABASE_URL and REDIS_URL when set; otherwise starts a real PostgreSQL (embedded-postgres)
 * and a real redis-server with their data under DATA_DIR.
 */
export async function startBackingServices(config: Config, log: Logger): Promise<BackingServices> {
  const secrets = config.databaseUrl && config.redisUrl ? undefined : await loadDataDirSecrets(config.dataDir);
  const jwtSecret = config.jwtSecret ?? secrets?.jwtSecret;
  if (!jwtSecret) throw new Error('JWT_SECRET is required');
  const stops: (() => Promise<void>)[] = [];
  try {
    let databaseUrl = config.databaseUrl;
    let databaseOwnerUrl = config.databaseOwnerUrl ?? config.databaseUrl;
    let postgresCluster: BackingServices['postgresCluster'];
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres(config.dataDir, { owner: secrets?.postgresPassword ?? '', app: secrets?.postgresAppPassword ?? '' }, log);
      stops.push(pg.stop);
      databaseUrl = pg.url;
      databaseOwnerUrl = pg.ownerUrl;
      postgresCluster = { dir: pg.clusterDir, ...(pg.runAs ? { runAs: pg.runAs } : {}) };
      log.info({ dir: pg.clusterDir, port: pg.port, runAs: pg.runAs }, 'embedded PostgreSQL started');
    }
    let redisUrl = config.redisUrl;
    if (!redisUrl) {
      const redis = await startRedisServer(path.join(config.dataDir, 'redis'), secrets?.redisPassword ?? '', log);
      stops.push(redis.stop);
      redisUrl = redis.url;
      log.info({ port: redis.port }, 'redis-server started');
    }
    return {
      databaseUrl,
      databaseOwnerUrl: databaseOwnerUrl ?? databaseUrl,
      redisUrl,
      jwtSecret,
      embedded: { postgres: !config.databaseUrl, redis: !config.redisUrl },
      ...(postgresCluster ? { postgresCluster } : {}),
      stop: async () => {
        for (const stop of stops.reverse()) await stop();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}
