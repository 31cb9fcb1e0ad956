import type { Queryable } from '../../infra/db.js';

/** What an audit entry is about. */
export const AUDIT_SUBJECTS = ['case', 'routing_rule', 'user', 'unit', 'time_limit_policy', 'calendar', 'channel', 'ranking_weights', 'watch_list', 'personal_data', 'open311_client'] as const;
export type AuditSubject = (typeof AUDIT_SUBJECTS)[number];

/** One entry of the audit trail: who did what to which subject, when. */
export interface AuditEntry {
  readonly source: 'case_event' | 'rule_revision' | 'audit_log';
  readonly id: number;
  readonly at: Date;
  readonly actorId: string | null;
  readonly actorRole: string | null;
  /** The actor's username now (null for the system, a channel or a citizen). */
  readonly actorUsername: string | null;
  readonly action: string;
  readonly subjectType: AuditSubject;
  readonly subjectId: string;
  readonly detail: Record<string, unknown>;
}

/** Records a change to configuration or accounts (cases and rules keep their own histories). */
export async function recordAudit(db: Queryable, entry: { actorId: string | null; action: string; subjectType: AuditSubject; subjectId: string; before?: unknown; after?: unknown }): Promise<void> {
  await db.query('INSERT INTO audit_log (actor_id, action, subject_type, subject_id, before, after) VALUES ($1, $2, $3, $4, $5, $6)', [
    entry.actorId,
    entry.action,
    entry.subjectType,
    entry.subjectId,
    entry.before === undefined ? null : JSON.stringify(entry.before),
    entry.after === undefined ? null : JSON.stringify(entry.after),
  ]);
}

/**
 * Records a staff member refused a read outside their unit (a case, another unit's case list).
 * Written on its own, before the refusal is answered: the request fails, the trail keeps the try.
 */
export function recordRefusedRead(db: Queryable, entry: { actorId: string; subjectType: 'case' | 'personal_data'; subjectId: string; path: string }): Promise<void> {
  return recordAudit(db, { actorId: entry.actorId, action: 'read_refused', subjectType: entry.subjectType, subjectId: entry.subjectId, after: { path: entry.path } });
}

/**
 * Records a read that hands out citizens' contact details in bulk (a case list, an export): who,
 * which request and which cases, so that a leak can be traced to the records it exposed.
 */
export function recordPersonalDataExport(db: Queryable, entry: { actorId: string | null; what: string; filters: Record<string, unknown>; caseIds: readonly string[] }): Promise<void> {
  return recordAudit(db, {
    actorId: entry.actorId,
    action: 'export',
    subjectType: 'personal_data',
    subjectId: entry.what,
    after: { filters: entry.filters, count: entry.caseIds.length, caseIds: entry.caseIds },
  });
}

/** Filters of the audit trail, and the page: `limit` entries after skipping `offset`. */
export interface AuditFilter {
  readonly actorId?: string;
  /** The actor's username, as staff know each other. */
  readonly actor?: string;
  readonly action?: string;
  readonly subjectType?: AuditSubject;
  readonly subjectId?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly limit: number;
  readonly offset?: number;
}

/**
 * The audit trail: case timelines, rule revisions and the configuration log, newest first. Each
 * source is filtered and limited on its own index (to the page's end) before they are merged.
 */
export async function listAudit(db: Queryable, f: AuditFilter): Promise<AuditEntry[]> {
  const want = (type: AuditSubject): boolean => !f.subjectType || f.subjectType === type;
  const parts: string[] = [];
  // $7 resolves a username to its id; an unknown username matches nobody rather than everybody.
  const common = `($1::uuid IS NULL OR actor_id = $1) AND ($3::timestamptz IS NULL OR created_at >= $3) AND ($4::timestamptz IS NULL OR created_at < $4)
                  AND ($7::text IS NULL OR actor_id = (SELECT id FROM users WHERE username = lower($7))) AND ($8::text IS NULL OR action = $8)`;
  if (want('case')) {
    parts.push(`(SELECT 'case_event' AS source, id, created_at, actor_id, actor_role, action, 'case' AS subject_type, case_id::text AS subject_id,
                        jsonb_build_object('fromStatus', from_status, 'toStatus', to_status, 'unitCode', unit_code, 'note', note, 'data', data) AS detail
                   FROM case_events WHERE ${common} AND ($2::text IS NULL OR case_id::text = $2) ORDER BY created_at DESC, id DESC LIMIT $5::int + $9::int)`);
  }
  if (want('routing_rule')) {
    parts.push(`(SELECT 'rule_revision' AS source, id, created_at, actor_id, NULL AS actor_role, change AS action, 'routing_rule' AS subject_type, rule_id AS subject_id,
                        jsonb_build_object('version', version, 'before', before, 'after', after) AS detail
                   FROM routing_rule_revisions WHERE ${common.replace('action = $8', 'change = $8')} AND ($2::text IS NULL OR rule_id = $2) ORDER BY created_at DESC, id DESC LIMIT $5::int + $9::int)`);
  }
  // The configuration log also holds case entries (refused reads), so it is read for every subject.
  parts.push(`(SELECT 'audit_log' AS source, id, created_at, actor_id, NULL AS actor_role, action, subject_type, subject_id, jsonb_build_object('before', before, 'after', after) AS detail
                 FROM audit_log WHERE ${common} AND ($2::text IS NULL OR subject_id = $2) AND ($6::text IS NULL OR subject_type = $6)
                ORDER BY created_at DESC, id DESC LIMIT $5::int + $9::int)`);
  const params: unknown[] = [f.actorId ?? null, f.subjectId ?? null, f.from ?? null, f.to ?? null, f.limit, f.subjectType ?? null, f.actor ?? null, f.action ?? null, f.offset ?? 0];
  const { rows } = await db.query(
    `SELECT trail.*, u.username AS actor_username FROM (${parts.join(' UNION ALL ')}) AS trail LEFT JOIN users u ON u.id = trail.actor_id
      ORDER BY trail.created_at DESC, trail.source, trail.id DESC LIMIT $5::int OFFSET $9::int`,
    params,
  );
  return rows.map((r) => ({
    source: r.source,
    id: r.id,
    at: r.created_at,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    actorUsername: r.actor_username,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    detail: r.detail,
  }));
}
