import net from 'node:net';
import path from 'node:path';
import Joi from 'joi';

/** Validated process configuration; the only place that reads process.env. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly adminPassword: string | undefined;
  readonly jwtSecret: string | undefined;
  /** Bearer token that opens /metrics and the details of /readyz; both stay closed without it. */
  readonly metricsToken: string | undefined;
  /** Express's `trust proxy`: which hops may set X-Forwarded-For (the client IP of limits and logs). */
  readonly trustProxy: TrustProxy;
  readonly logLevel: string;
  readonly nodeEnv: string;
}

/** false (no proxy), a hop count, or addresses / subnets / Express's names (loopback, linklocal, uniquelocal). */
export type TrustProxy = boolean | number | readonly string[];

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = net.isIP(address);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

const trustProxySetting = Joi.string()
  .trim()
  .custom((value: string, helpers) => {
    if (value === 'false' || value === 'none') return false;
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
    // 'true' trusts any client to name its own IP, which defeats every per-IP limit.
    if (entries.length === 0 || !entries.every(isProxyAddress)) return helpers.error('any.invalid');
    return entries;
  })
  .messages({ 'any.invalid': '"TRUST_PROXY" must be false, a hop count, or a comma-separated list of addresses, subnets, loopback, linklocal or uniquelocal' });

const schema = Joi.object({
  PORT: Joi.number().integer().min(0).max(65535).default(3000),
  HOST: Joi.string().default('0.0.0.0'),
  DATA_DIR: Joi.string().default('./data'),
  DATABASE_URL: Joi.string().uri({ scheme: ['postgres', 'postgresql'] }).empty(''),
  REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }).empty(''),
  ADMIN_PASSWORD: Joi.string().min(8).empty(''),
  JWT_SECRET: Joi.string().min(32).empty(''),
  METRICS_TOKEN: Joi.string().min(16).empty(''),
  TRUST_PROXY: trustProxySetting.empty(''),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  NODE_ENV: Joi.string().default('development'),
})
  // An empty variable (FOO= in a compose file) means unset.
  .unknown(true);

/** Reads and validates the environment, listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const { value, error } = schema.validate(env, { abortEarly: false, convert: true });
  if (error) {
    const problems = error.details.map((d) => `  - ${d.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  return Object.freeze({
    port: value.PORT as number,
    host: value.HOST as string,
    dataDir: path.resolve(value.DATA_DIR as string),
    databaseUrl: value.DATABASE_URL as string | undefined,
    redisUrl: value.REDIS_URL as string | undefined,
    adminPassword: value.ADMIN_PASSWORD as string | undefined,
    jwtSecret: value.JWT_SECRET as string | undefined,
    metricsToken: value.METRICS_TOKEN as string | undefined,
    trustProxy: (value.TRUST_PROXY as TrustProxy | undefined) ?? ['loopback'],
    logLevel: value.LOG_LEVEL as string,
    nodeEnv: value.NODE_ENV as string,
  });
}
