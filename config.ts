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
  readonly logLevel: string;
  readonly nodeEnv: string;
  /** Posterior probability at which the learned routing model dispatches on its own (ROUTING_MODEL_THRESHOLD); 1 = only suggest. */
  readonly routingModelThreshold: number;
}

const schema = Joi.object({
  PORT: Joi.number().integer().min(0).max(65535).default(3000),
  HOST: Joi.string().default('0.0.0.0'),
  DATA_DIR: Joi.string().default('./data'),
  DATABASE_URL: Joi.string().uri({ scheme: ['postgres', 'postgresql'] }).empty(''),
  REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }).empty(''),
  ADMIN_PASSWORD: Joi.string().min(8).empty(''),
  JWT_SECRET: Joi.string().min(32).empty(''),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  NODE_ENV: Joi.string().default('development'),
  ROUTING_MODEL_THRESHOLD: Joi.number().min(0.5).max(1).default(1),
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
    logLevel: value.LOG_LEVEL as string,
    nodeEnv: value.NODE_ENV as string,
    routingModelThreshold: value.ROUTING_MODEL_THRESHOLD as number,
  });
}
