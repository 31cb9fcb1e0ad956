import type { Queryable } from '../../infra/db.js';

/** The outbox topic of a case locked against query-code guessing; the relay pushes it to the centre's room. */
export const QUERY_CODE_GUESSING_TOPIC = 'centre.query-code-guessing';

/** What the centre is told when a case is locked. */
export interface QueryCodeGuessingAlert {
  readonly caseNo: string;
  /** Whether a case has this number: a guess at an unknown number is locked and reported alike. */
  readonly exists: boolean;
  readonly failures: number;
  readonly lockedUntil: string;
}

/** Writes the centre's alert to the outbox, with whether the case exists. */
export async function recordQueryCodeGuessing(db: Queryable, alert: Omit<QueryCodeGuessingAlert, 'exists'>): Promise<QueryCodeGuessingAlert> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM cases WHERE case_no = $1', [alert.caseNo]);
  const full: QueryCodeGuessingAlert = { ...alert, exists: rows.length > 0 };
  await db.query('INSERT INTO outbox (topic, payload) VALUES ($1, $2)', [QUERY_CODE_GUESSING_TOPIC, full]);
  return full;
}
