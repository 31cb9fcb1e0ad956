import net from 'node:net';
import path from 'node:path';
import Joi from 'joi';

/** Validated process configuration; the only place that reads process.env. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  /** The schema owner, for migrations; unset, migrations run as DATABASE_URL's role. */
  readonly databaseOwnerUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly adminPassword: string | undefined;
  readonly jwtSecret: string | undefined;
  /** Bearer token that opens /metrics and the details of /readyz; both stay closed without it. */
  readonly metricsToken: string | undefined;
  /** Express's `trust proxy`: which hops may set X-Forwarded-For (the client IP of limits and logs). */
  readonly trustProxy: TrustProxy;
  readonly logLevel: string;
  readonly nodeEnv: string;
  /** How long an ordered shutdown may take before the process is stopped regardless. */
  readonly shutdownTimeoutMs: number;
  /** Requests per minute one staff member may make (the limit meant for people at a desk). */
  readonly staffRateLimit: number;
  /** How long an outbox row every consumer has handled is kept before it is pruned. */
  readonly outboxRetentionHours: number;
  /** Host names and addresses admin-set outbound URLs may reach although they are internal (SSRF guard). */
  readonly outboundAllowHosts: readonly string[];
  /** Posterior probability at which the learned routing model dispatches on its own (ROUTING_MODEL_THRESHOLD); 1 = only suggest. */
  readonly routingModelThreshold: number;
  /** The mayor's mailbox: caps on letters, and when its form asks for a captcha. */
  readonly mailbox: MailboxLimits;
}

/** A count allowed within a window of time. */
export interface WindowLimit {
  readonly max: number;
  readonly windowSeconds: number;
}

/**
 * Caps on letters to the mayor's mailbox, and the counts past which a letter needs a captcha
 * (the form asks only then: ordinary traffic never sees one).
 */
export interface MailboxLimits {
  /** Letters one phone number may send per window; the next is refused (429). */
  readonly perPhone: WindowLimit;
  /** Letters the whole mailbox takes per window; the next is refused (429). */
  readonly global: WindowLimit;
  /** A letter needs a captcha once any of these counts is reached (letters already taken in the window). */
  readonly captchaAfter: {
    readonly global: number;
    readonly perPhone: number;
    readonly perIp: WindowLimit;
  };
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

/**
 * A citizen writes a few letters a day at most, and the whole city some hundreds: a sixth letter
 * from one phone in a day, or a flood, is refused; a third letter from one phone, a fourth from one
 * address in an hour, or a busy hour for the whole mailbox asks for a captcha first.
 */
export const MAILBOX_DEFAULTS: MailboxLimits = Object.freeze({
  perPhone: { max: 5, windowSeconds: 86_400 },
  global: { max: 2_000, windowSeconds: 3_600 },
  captchaAfter: { global: 300, perPhone: 2, perIp: { max: 3, windowSeconds: 3_600 } },
});

// 0 is allowed for the captcha thresholds: a captcha on every letter.
const count = Joi.number().integer().min(0).max(10_000_000);
const windowSeconds = Joi.number().integer().min(1).max(30 * 86_400);

/** What a process needs beyond the defaults: `npm run worker` joins servers it cannot start itself. */
export type RequiredSetting = 'DATABASE_URL' | 'REDIS_URL';

const schema = Joi.object({
  PORT: Joi.number().integer().min(0).max(65535).default(3000),
  HOST: Joi.string().default('0.0.0.0'),
  DATA_DIR: Joi.string().default('./data'),
  // An empty variable (FOO= in a compose file) means unset.
  DATABASE_URL: Joi.string().uri({ scheme: ['postgres', 'postgresql'] }).empty(''),
  DATABASE_OWNER_URL: Joi.string().uri({ scheme: ['postgres', 'postgresql'] }).empty('').when('DATABASE_URL', { not: Joi.exist(), then: Joi.forbidden().messages({ 'any.unknown': '"DATABASE_OWNER_URL" needs DATABASE_URL: the embedded PostgreSQL has its own owner' }) }),
  REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }).empty(''),
  ADMIN_PASSWORD: Joi.string().min(8).empty(''),
  // Every API process must sign with the same secret; embedded mode keeps one in DATA_DIR.
  JWT_SECRET: Joi.string().min(32).empty('').when('DATABASE_URL', { is: Joi.exist(), then: Joi.required().messages({ 'any.required': '"JWT_SECRET" is required when DATABASE_URL is set' }) }),
  METRICS_TOKEN: Joi.string().min(16).empty(''),
  TRUST_PROXY: trustProxySetting.empty(''),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  NODE_ENV: Joi.string().default('development'),
  SHUTDOWN_TIMEOUT_MS: Joi.number().integer().min(1_000).max(600_000).default(20_000),
  STAFF_RATE_LIMIT: Joi.number().integer().min(1).default(1_200),
  OUTBOX_RETENTION_HOURS: Joi.number().min(0).max(24 * 365).default(72),
  OUTBOUND_ALLOW_HOSTS: Joi.string().allow('').default(''),
  MAILBOX_PHONE_MAX: count.min(1).default(MAILBOX_DEFAULTS.perPhone.max),
  MAILBOX_PHONE_WINDOW_SECONDS: windowSeconds.default(MAILBOX_DEFAULTS.perPhone.windowSeconds),
  MAILBOX_GLOBAL_MAX: count.min(1).default(MAILBOX_DEFAULTS.global.max),
  MAILBOX_GLOBAL_WINDOW_SECONDS: windowSeconds.default(MAILBOX_DEFAULTS.global.windowSeconds),
  MAILBOX_CAPTCHA_GLOBAL: count.default(MAILBOX_DEFAULTS.captchaAfter.global),
  MAILBOX_CAPTCHA_PHONE: count.default(MAILBOX_DEFAULTS.captchaAfter.perPhone),
  MAILBOX_CAPTCHA_IP: count.default(MAILBOX_DEFAULTS.captchaAfter.perIp.max),
  MAILBOX_CAPTCHA_IP_WINDOW_SECONDS: windowSeconds.default(MAILBOX_DEFAULTS.captchaAfter.perIp.windowSeconds),
  ROUTING_MODEL_THRESHOLD: Joi.number().min(0.5).max(1).default(1),
}).unknown(true);

/** Reads and validates the environment, listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, required: readonly RequiredSetting[] = []): Config {
  const withRequired = required.length ? schema.fork([...required], (s) => s.required()) : schema;
  const { value, error } = withRequired.validate(env, { abortEarly: false, convert: true });
  if (error) {
    const problems = error.details.map((d) => `  - ${d.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  return Object.freeze({
    port: value.PORT as number,
    host: value.HOST as string,
    dataDir: path.resolve(value.DATA_DIR as string),
    databaseUrl: value.DATABASE_URL as string | undefined,
    databaseOwnerUrl: value.DATABASE_OWNER_URL as string | undefined,
    redisUrl: value.REDIS_URL as string | undefined,
    adminPassword: value.ADMIN_PASSWORD as string | undefined,
    jwtSecret: value.JWT_SECRET as string | undefined,
    metricsToken: value.METRICS_TOKEN as string | undefined,
    trustProxy: (value.TRUST_PROXY as TrustProxy | undefined) ?? ['loopback'],
    logLevel: value.LOG_LEVEL as string,
    nodeEnv: value.NODE_ENV as string,
    shutdownTimeoutMs: value.SHUTDOWN_TIMEOUT_MS as number,
    staffRateLimit: value.STAFF_RATE_LIMIT as number,
    outboxRetentionHours: value.OUTBOX_RETENTION_HOURS as number,
    outboundAllowHosts: Object.freeze((value.OUTBOUND_ALLOW_HOSTS as string).split(',').map((h) => h.trim()).filter(Boolean)),
    mailbox: Object.freeze({
      perPhone: { max: value.MAILBOX_PHONE_MAX as number, windowSeconds: value.MAILBOX_PHONE_WINDOW_SECONDS as number },
      global: { max: value.MAILBOX_GLOBAL_MAX as number, windowSeconds: value.MAILBOX_GLOBAL_WINDOW_SECONDS as number },
      captchaAfter: {
        global: value.MAILBOX_CAPTCHA_GLOBAL as number,
        perPhone: value.MAILBOX_CAPTCHA_PHONE as number,
        perIp: { max: value.MAILBOX_CAPTCHA_IP as number, windowSeconds: value.MAILBOX_CAPTCHA_IP_WINDOW_SECONDS as number },
      },
    }),
    routingModelThreshold: value.ROUTING_MODEL_THRESHOLD as number,
  });
}
