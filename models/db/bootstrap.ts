import crypto from 'node:crypto';
import type { Pool } from '../../infra/db.js';
import { migrate } from './migrate.js';
import { buildOrgTree } from '../org/seed/org-tree.js';
import { seedUnits } from '../org/unit.repository.js';
import { loadDefaultRules } from '../../routing-rules/default-rules.js';
import { seedDefaultRulesOnce } from '../routing/routing-rule.repository.js';
import { seedDefaultPolicies } from '../time-limits/time-limits.repository.js';
import { ensureAdmin } from '../accounts/user.repository.js';

/** What preparing the database did. */
export interface BootstrapReport {
  readonly migrationsApplied: string[];
  readonly unitsSeeded: number;
  readonly rulesSeeded: number;
  /** Set only when this start created the admin account with a generated password. */
  readonly generatedAdminPassword?: string;
  readonly adminCreated: boolean;
}

/**
 * Brings a database up to date: pending migrations, the organisation tree (new units only, so an
 * edited unit keeps its edits), the default routing rules and time-limit policies (once), and the first admin account. Safe from several processes at once.
 */
export async function prepareDatabase(pool: Pool, adminPassword: string | undefined): Promise<BootstrapReport> {
  const migrationsApplied = await migrate(pool);
  const unitsSeeded = await seedUnits(pool, buildOrgTree());
  const rulesSeeded = await seedDefaultRulesOnce(pool, loadDefaultRules());
  await seedDefaultPolicies(pool);
  const password = adminPassword ?? crypto.randomBytes(12).toString('base64url');
  const adminCreated = await ensureAdmin(pool, password);
  return {
    migrationsApplied,
    unitsSeeded,
    rulesSeeded,
    adminCreated,
    ...(adminCreated && !adminPassword ? { generatedAdminPassword: password } : {}),
  };
}
