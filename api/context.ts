import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Pool } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { DivisionLocator } from '../models/case-intake.js';
import type { UnitDirectory } from '../models/unit-directory.js';

/** What the HTTP layer is given by the process that runs it. */
export interface ApiContext {
  readonly pool: Pool;
  readonly redis: Redis;
  readonly log: Logger;
  readonly jwtSecret: string;
  readonly units: UnitDirectory;
  readonly locator: DivisionLocator;
  readonly authenticate: RequestHandler;
}
