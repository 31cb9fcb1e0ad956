import { notFound } from '../../errors.js';
import { recordRefusedRead } from '../../models/accounts/audit.repository.js';
import { isVisibleTo } from '../../models/cases/case-actions.js';
import type { CaseRecord } from '../../models/cases/case.js';
import { findCaseById } from '../../models/cases/case.repository.js';
import type { StaffPrincipal } from '../auth/token.js';
import type { ApiContext } from '../context.js';

/**
 * The case a staff member asked for, when they may see it. Another unit's case answers exactly like
 * a missing one (its existence is not revealed), and the attempt is written to the audit trail.
 */
export async function findVisibleCase(ctx: ApiContext, id: string, user: StaffPrincipal, path: string): Promise<CaseRecord> {
  const record = await findCaseById(ctx.pool, id);
  if (!record) throw notFound('Case');
  if (!isVisibleTo(user, record, ctx.units)) {
    await recordRefusedRead(ctx.pool, { actorId: user.id, subjectType: 'case', subjectId: record.id, path });
    throw notFound('Case');
  }
  return record;
}
