import type { Queryable } from '../../infra/db.js';
import { phoneDigits } from '../cases/desk.repository.js';
import { caseText, textSimilarity } from '../insights/hot-topics/similarity.js';

/**
 * How alike (character bigrams, as the desk's duplicate hints) a new petition must be to a
 * concluded one of the same caller to be taken for the same matter. As loose as the desk's hint:
 * the office decides, so a petition worded anew should still reach it flagged.
 */
export const SAME_MATTER_SIMILARITY = 0.5;
// A caller with more concluded matters than this is compared with the latest ones only.
const CANDIDATES = 20;

/** A concluded petition (信访事项终结: 复核 asked and answered) that a new one repeats. */
export interface ConcludedMatter {
  readonly caseId: string;
  readonly caseNo: string;
  /** The office that answered the 复核, which decides whether the new petition is a new matter. */
  readonly unitCode: string | null;
  readonly similarity: number;
}

/**
 * The concluded petition of this caller most like the new text, if any is alike enough
 * (《信访工作条例》 art. 36: a petition on the same facts and grounds after the 复核 is not accepted again).
 */
export async function findConcludedMatter(db: Queryable, phone: string | undefined, title: string | null, content: string): Promise<ConcludedMatter | undefined> {
  const key = phone ? phoneDigits(phone) : '';
  if (!key) return undefined;
  const { rows } = await db.query<{ id: string; case_no: string; assigned_unit_code: string | null; title: string | null; content: string }>(
    `SELECT c.id, c.case_no, c.assigned_unit_code, c.title, c.content FROM cases c
      WHERE c.citizen ? 'phone' AND caller_phone_key(c.citizen->>'phone') = $1
        AND c.type = 'petition' AND c.review_level = 2 AND c.status IN ('replied', 'closed')
      ORDER BY c.created_at DESC LIMIT $2`,
    [key, CANDIDATES],
  );
  const text = caseText(title, content);
  const best = rows
    .map((r) => ({ caseId: r.id, caseNo: r.case_no, unitCode: r.assigned_unit_code, similarity: Math.round(textSimilarity(text, caseText(r.title, r.content)) * 100) / 100 }))
    .filter((m) => m.similarity >= SAME_MATTER_SIMILARITY)
    .sort((a, b) => b.similarity - a.similarity);
  return best[0];
}
