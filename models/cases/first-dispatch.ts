import type { Queryable } from '../../infra/db.js';

/** A case's first dispatch that nothing has undone yet: when it was and where it went. */
export interface StandingFirstDispatch {
  readonly firstDispatchAt: string;
  readonly firstDispatchUnit: string;
}

/**
 * The case's first dispatch when no return (退单) or re-dispatch has followed it, else null.
 * Only a dispatch marked as first counts: one written before the mark existed has no first
 * dispatch counted for it, so its undoing must not be counted either.
 */
export async function standingFirstDispatch(db: Queryable, caseId: string): Promise<StandingFirstDispatch | null> {
  const { rows } = await db.query<{ created_at: Date; unit_code: string }>(
    `SELECT f.created_at, f.unit_code
       FROM (SELECT id, created_at, unit_code, data FROM case_events WHERE case_id = $1 AND action = 'dispatch' ORDER BY id LIMIT 1) f
      WHERE f.data->>'first' = 'true' AND f.unit_code IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM case_events u WHERE u.case_id = $1 AND u.action IN ('dispatch', 'return') AND u.id > f.id)`,
    [caseId],
  );
  const first = rows[0];
  return first ? { firstDispatchAt: first.created_at.toISOString(), firstDispatchUnit: first.unit_code } : null;
}
