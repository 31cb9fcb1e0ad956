import { conflict, notFound } from '../../errors.js';
import { withTransaction, type Pool, type PoolClient, type Queryable } from '../../infra/db.js';
import type { RoutingRule } from '../../routing-rules/rule.js';

/** A stored rule: the rule itself and its edit count. */
export interface StoredRule extends RoutingRule {
  readonly version: number;
  readonly updatedAt: Date;
}

/** One audited change to a rule. */
export interface RuleRevision {
  readonly id: number;
  readonly ruleId: string;
  readonly version: number;
  readonly change: 'create' | 'update' | 'delete' | 'seed';
  readonly before: RoutingRule | null;
  readonly after: RoutingRule | null;
  readonly actorId: string | null;
  readonly at: Date;
}

interface RuleRow {
  id: string;
  name: string;
  priority: number;
  enabled: boolean;
  conditions: RoutingRule['conditions'];
  target: RoutingRule['target'];
  version: number;
  updated_at: Date;
}

const toStored = (r: RuleRow): StoredRule => ({
  id: r.id,
  name: r.name,
  priority: r.priority,
  enabled: r.enabled,
  conditions: r.conditions,
  target: r.target,
  version: r.version,
  updatedAt: r.updated_at,
});

/** The rule without storage fields, as revisions record it. */
export function ruleOf(stored: StoredRule): RoutingRule {
  return { id: stored.id, name: stored.name, priority: stored.priority, enabled: stored.enabled, conditions: stored.conditions, target: stored.target };
}

/** Every rule, in decision order. */
export async function listRules(db: Queryable): Promise<StoredRule[]> {
  const { rows } = await db.query<RuleRow>('SELECT * FROM routing_rules ORDER BY priority DESC, id');
  return rows.map(toStored);
}

/** One rule. */
export async function getRule(db: Queryable, id: string): Promise<StoredRule | undefined> {
  const { rows } = await db.query<RuleRow>('SELECT * FROM routing_rules WHERE id = $1', [id]);
  return rows[0] ? toStored(rows[0]) : undefined;
}

/** The rule set's version: the id of its latest revision (0 before any). */
export async function ruleSetVersion(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ v: number }>('SELECT coalesce(max(id), 0)::int8 AS v FROM routing_rule_revisions');
  return rows[0]?.v ?? 0;
}

// Arbitrary constant shared by every process of this application: the advisory lock key of rule changes.
const RULE_CHANGE_LOCK_KEY = 7_301_234_512_346;

/**
 * Serialises rule changes until the transaction ends. A revision id is taken when the row is
 * inserted, not when it commits: without this lock a change could take id 10, commit after
 * another change took and committed id 11, and every process that had loaded version 11 would
 * never load it, as the highest id (the rule set's version) would not move again.
 */
async function lockRuleChanges(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [RULE_CHANGE_LOCK_KEY]);
}

async function recordRevision(client: PoolClient, ruleId: string, version: number, change: RuleRevision['change'], before: RoutingRule | null, after: RoutingRule | null, actorId: string | null): Promise<void> {
  await client.query(
    'INSERT INTO routing_rule_revisions (rule_id, version, change, before, after, actor_id) VALUES ($1, $2, $3, $4, $5, $6)',
    [ruleId, version, change, before, after, actorId],
  );
}

async function insertRule(client: PoolClient, rule: RoutingRule, actorId: string | null): Promise<StoredRule> {
  const { rows } = await client.query<RuleRow>(
    `INSERT INTO routing_rules (id, name, priority, enabled, conditions, target, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO NOTHING RETURNING *`,
    [rule.id, rule.name, rule.priority, rule.enabled, rule.conditions, rule.target, actorId],
  );
  if (!rows[0]) throw conflict(`A routing rule with id "${rule.id}" already exists`);
  return toStored(rows[0]);
}

/** Creates a rule and its 'create' revision. */
export function createRule(pool: Pool, rule: RoutingRule, actorId: string): Promise<StoredRule> {
  return withTransaction(pool, async (client) => {
    await lockRuleChanges(client);
    const stored = await insertRule(client, rule, actorId);
    await recordRevision(client, rule.id, stored.version, 'create', null, rule, actorId);
    return stored;
  });
}

/** Replaces a rule, recording before and after; `expectedVersion` refuses a stale edit with 409. */
export function updateRule(pool: Pool, rule: RoutingRule, actorId: string, expectedVersion?: number): Promise<StoredRule> {
  return withTransaction(pool, async (client) => {
    await lockRuleChanges(client);
    const { rows } = await client.query<RuleRow>('SELECT * FROM routing_rules WHERE id = $1 FOR UPDATE', [rule.id]);
    if (!rows[0]) throw notFound('Routing rule');
    const before = toStored(rows[0]);
    if (expectedVersion !== undefined && expectedVersion !== before.version) {
      throw conflict(`The rule was changed meanwhile (version ${before.version}, expected ${expectedVersion})`);
    }
    const updated = await client.query<RuleRow>(
      `UPDATE routing_rules SET name = $2, priority = $3, enabled = $4, conditions = $5, target = $6,
              version = version + 1, updated_at = now(), updated_by = $7
        WHERE id = $1 RETURNING *`,
      [rule.id, rule.name, rule.priority, rule.enabled, rule.conditions, rule.target, actorId],
    );
    const stored = toStored(updated.rows[0] as RuleRow);
    await recordRevision(client, rule.id, stored.version, 'update', ruleOf(before), rule, actorId);
    return stored;
  });
}

/** Deletes a rule, keeping its last state in the 'delete' revision. */
export function deleteRule(pool: Pool, id: string, actorId: string): Promise<void> {
  return withTransaction(pool, async (client) => {
    await lockRuleChanges(client);
    const { rows } = await client.query<RuleRow>('DELETE FROM routing_rules WHERE id = $1 RETURNING *', [id]);
    if (!rows[0]) throw notFound('Routing rule');
    const before = toStored(rows[0]);
    await recordRevision(client, id, before.version + 1, 'delete', ruleOf(before), null, actorId);
  });
}

/** The audit trail of one rule, or of all rules, newest first. */
export async function listRevisions(db: Queryable, ruleId: string | undefined, limit: number): Promise<RuleRevision[]> {
  const { rows } = await db.query(
    `SELECT * FROM routing_rule_revisions WHERE ($1::text IS NULL OR rule_id = $1) ORDER BY id DESC LIMIT $2`,
    [ruleId ?? null, limit],
  );
  return rows.map((r) => ({ id: r.id, ruleId: r.rule_id, version: r.version, change: r.change, before: r.before, after: r.after, actorId: r.actor_id, at: r.created_at }));
}

/**
 * Loads the default rule files into an empty rule store, once in the database's life: after that
 * the rules are the centre's, and deleting one must not bring it back at the next start.
 */
export function seedDefaultRulesOnce(pool: Pool, rules: readonly RoutingRule[]): Promise<number> {
  return withTransaction(pool, async (client) => {
    const flag = await client.query(`INSERT INTO system_flags (name) VALUES ('routing_rules_seeded') ON CONFLICT DO NOTHING`);
    // The flag row's insert is the lock: a second process starting at once waits, then finds it set.
    if (flag.rowCount === 0) return 0;
    await lockRuleChanges(client);
    for (const rule of rules) {
      const stored = await insertRule(client, rule, null);
      await recordRevision(client, rule.id, stored.version, 'seed', null, rule, null);
    }
    return rules.length;
  });
}
