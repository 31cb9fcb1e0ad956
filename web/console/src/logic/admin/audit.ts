/** An entry of GET /api/audit. */
export interface AuditRow {
  readonly source: 'case_event' | 'rule_revision' | 'audit_log';
  readonly id: number;
  readonly at: string;
  readonly actorId: string | null;
  readonly actorRole: string | null;
  readonly actorUsername: string | null;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly detail: Record<string, unknown>;
}

/** The audit screen's filters as typed. */
export interface AuditFilters {
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  /** YYYY-MM-DD, Asia/Shanghai. */
  from: string;
  to: string;
}

/** The query of GET /api/audit for the filters and a page: whole days in Linyi time, the end day included. */
export function auditQuery(f: AuditFilters, limit: number, offset: number): Record<string, string | number | undefined> {
  const nextDay = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return {
    actor: f.actor.trim() || undefined,
    action: f.action || undefined,
    subjectType: f.subjectType || undefined,
    subjectId: f.subjectId.trim() || undefined,
    from: f.from ? `${f.from}T00:00:00+08:00` : undefined,
    to: f.to ? `${nextDay(f.to)}T00:00:00+08:00` : undefined,
    limit,
    offset,
  };
}

const ACTOR_ROLES: Readonly<Record<string, string>> = { citizen: '市民', channel: '渠道', system: '系统' };

/** Who acted, in words: the username, else what kind of actor it was. */
export function actorName(row: Pick<AuditRow, 'actorUsername' | 'actorRole'>): string {
  return row.actorUsername ?? (row.actorRole ? (ACTOR_ROLES[row.actorRole] ?? row.actorRole) : '系统');
}

/** The detail of an entry in one short line: the case's status change and note, or the changed keys. */
export function summariseDetail(row: AuditRow): string {
  const d = row.detail;
  if (row.source === 'case_event') {
    const note = typeof d.note === 'string' ? d.note : '';
    return [d.fromStatus && d.toStatus && d.fromStatus !== d.toStatus ? `${String(d.fromStatus)} → ${String(d.toStatus)}` : '', note].filter(Boolean).join('；');
  }
  if (row.source === 'rule_revision') return `第 ${String(d.version)} 版`;
  const before = (d.before ?? {}) as Record<string, unknown>;
  const after = (d.after ?? {}) as Record<string, unknown>;
  if (typeof before !== 'object' || typeof after !== 'object' || Array.isArray(after)) return '';
  const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return changed.length ? changed.map((k) => `${k}: ${JSON.stringify(after[k])}`).join('，').slice(0, 160) : '';
}

/** What an entry is about, by name where the entry carries one (an account's username), else its id. */
export function subjectName(row: AuditRow): string {
  const side = (row.detail.after ?? row.detail.before) as Record<string, unknown> | null | undefined;
  const username = row.subjectType === 'user' && side && typeof side.username === 'string' ? side.username : null;
  return username ?? row.subjectId;
}
