import crypto from 'node:crypto';
import type { Pool } from '../../infra/db.js';
import { grantApplicationRole } from './application-role.js';
import { migrate } from './migrate.js';
import { buildOrgTree } from '../org/seed/org-tree.js';
import { seedUnits } from '../org/unit.repository.js';
import { loadDefaultRules } from '../../routing-rules/default-rules.js';
import { seedDefaultRulesOnce } from '../routing/routing-rule.repository.js';
import { seedDefaultPolicies } from '../time-limits/time-limits.repository.js';
import { ensureAdmin } from '../accounts/user.repository.js';
import { seedArticlesOnce } from '../knowledge/knowledge.repository.js';
import { KNOWLEDGE_SEEDS } from '../org/seed/knowledge-articles.js';

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
 * edited unit keeps its edits), the default routing rules, time-limit policies and starter knowledge-base articles (once), and the first admin account. Run as
 * the schema's owner, it grants `applicationRole` what the application needs. Safe from several processes at once.
 */
export async function prepareDatabase(pool: Pool, adminPassword: string | undefined, applicationRole?: string): Promise<BootstrapReport> {
  const migrationsApplied = await migrate(pool);
  if (applicationRole) await grantApplicationRole(pool, applicationRole);
  const unitsSeeded = await seedUnits(pool, buildOrgTree());
  const rulesSeeded = await seedDefaultRulesOnce(pool, loadDefaultRules());
  await seedDefaultPolicies(pool);
  await seedArticlesOnce(pool, KNOWLEDGE_SEEDS);
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
