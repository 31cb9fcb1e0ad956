import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { TrustProxy } from '../config.js';
import type { Pool } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { IntakeDeps } from '../models/cases/case-intake.js';
import type { RuleSet } from '../models/routing/rule-set.js';
import type { TimeLimits } from '../models/time-limits/time-limits.js';
import type { DatabaseClock } from '../infra/db-clock.js';
import type { UnitDirectory } from '../models/org/unit-directory.js';
import type { KnowledgeSearch } from '../models/knowledge/knowledge-search.js';
import type { RepeatCandidates } from '../models/insights/hot-topics/repeat-candidates.js';
import type { QueryCodeGuard } from './public/query-code-guard.js';
import type { OutboundGuard } from '../infra/outbound-guard.js';
import type { MailboxGuard } from './public/mailbox-guard.js';

/** What the HTTP layer is given by the process that runs it. */
export interface ApiContext {
  readonly pool: Pool;
  readonly redis: Redis;
  readonly log: Logger;
  readonly jwtSecret: string;
  /** Opens /metrics and the details of /readyz; both stay closed when unset. */
  readonly metricsToken: string | undefined;
  /** Express's `trust proxy` (TRUST_PROXY). */
  readonly trustProxy: TrustProxy;
  readonly units: UnitDirectory;
  readonly intake: IntakeDeps;
  readonly ruleSet: RuleSet;
  readonly timeLimits: TimeLimits;
  readonly clock: DatabaseClock;
  /**
   * Makes every API process reload a cached configuration now, after a committed change to it;
   * 'routing-model' after a centre dispatch, which every process's learned model takes in.
   */
  readonly announceConfigChanged: (name: 'routing-rules' | 'time-limits' | 'routing-model' | 'units') => Promise<void>;
  /** After a committed change to an account: its tokens stop working and its open sockets are cut, in every process. */
  readonly endSessions: (userId: string) => Promise<void>;
  readonly authenticate: RequestHandler;
  /** Requests per minute one staff member may make. */
  readonly staffRateLimit: number;
  /** Counts wrong query codes per case and locks a case being guessed at (issue 11 item 4). */
  readonly queryCodes: QueryCodeGuard;
  /** Searches the knowledge base (知识库), current across processes. */
  readonly knowledge: KnowledgeSearch;
  /** The case signatures the repeated complaints are grouped from, kept by day. */
  readonly repeatCandidates: RepeatCandidates;
  /** Caps the mayor's mailbox per phone and overall, and asks for a captcha when traffic is unusual. */
  readonly mailbox: MailboxGuard;
  /** Keeps admin-set outbound URLs off loopback, private and link-local addresses. */
  readonly outboundGuard: OutboundGuard;
}
