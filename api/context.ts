import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Pool } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { IntakeDeps } from '../models/case-intake.js';
import type { RuleSet } from '../models/rule-set.js';
import type { TimeLimits } from '../models/time-limits/time-limits.js';
import type { DatabaseClock } from '../infra/db-clock.js';
import type { UnitDirectory } from '../models/unit-directory.js';

/** What the HTTP layer is given by the process that runs it. */
export interface ApiContext {
  readonly pool: Pool;
  readonly redis: Redis;
  readonly log: Logger;
  readonly jwtSecret: string;
  readonly units: UnitDirectory;
  readonly intake: IntakeDeps;
  readonly ruleSet: RuleSet;
  readonly timeLimits: TimeLimits;
  readonly clock: DatabaseClock;
  /**
   * Makes every API process reload a cached configuration now, after a committed change to it;
   * 'routing-model' after a centre dispatch, which every process's learned model takes in.
   */
  readonly announceConfigChanged: (name: 'routing-rules' | 'time-limits' | 'routing-model') => Promise<void>;
  readonly authenticate: RequestHandler;
}
