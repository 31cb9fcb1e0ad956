import { badRequest, notFound } from '../../errors.js';
import { withTransaction, type Pool, type Queryable } from '../../infra/db.js';
import { recordAudit } from './audit.repository.js';
import { verifyPassword } from './password.js';
import { findUserById, updateUser, type User, type UserChange } from './user.repository.js';

// What the audit trail keeps of an account: never its hash.
const audited = (u: User): Record<string, unknown> => ({ username: u.username, role: u.role, unitCode: u.unitCode, disabled: u.disabled, disclosureHead: u.disclosureHead, tokenVersion: u.tokenVersion });

/** Whether `unitCode` is a disclosure office (政府信息公开工作机构), whose handlers may be its head. */
async function isDisclosureOffice(db: Queryable, unitCode: string | null): Promise<boolean> {
  if (!unitCode) return false;
  const { rows } = await db.query(`SELECT 1 FROM units WHERE code = $1 AND kind = 'disclosure_office'`, [unitCode]);
  return rows.length > 0;
}

/**
 * The head flag after a change: set only on a handler of a disclosure office (400 otherwise), and
 * dropped when the account leaves that office or that role, so that no stale designation survives.
 */
async function headAfter(db: Queryable, before: User, role: User['role'], unitCode: string | null, asked: boolean | undefined): Promise<boolean> {
  const eligible = role === 'handler' && (await isDisclosureOffice(db, unitCode));
  if (asked === true && !eligible) {
    throw badRequest('Only a handler of a disclosure office (政府信息公开办公室) can be its head', [{ path: 'body.disclosureHead', message: 'the account must be a handler of a disclosure office' }]);
  }
  return eligible && (asked ?? before.disclosureHead);
}

/** The audit action of an update: designating or removing the head of a disclosure office is named as such. */
function headAction(before: User, after: User): string {
  if (before.disclosureHead === after.disclosureHead) return 'update';
  return after.disclosureHead ? 'designate_disclosure_head' : 'revoke_disclosure_head';
}

/**
 * Changes an account (role, unit, disabled, password reset) with its audit row in one transaction.
 * The row is locked so that the handler/unit rule is checked against what is committed.
 */
export async function changeUser(pool: Pool, id: string, change: UserChange, actorId: string): Promise<User> {
  return withTransaction(pool, async (tx) => {
    const before = await findUserById(tx, id, true);
    if (!before) throw notFound('User');
    const role = change.role ?? before.role;
    const unitCode = change.unitCode !== undefined ? change.unitCode : before.unitCode;
    if (role === 'handler' && !unitCode) throw badRequest('A handler belongs to a unit', [{ path: 'body.unitCode', message: 'required when the role is handler' }]);
    const disclosureHead = await headAfter(tx, before, role, unitCode, change.disclosureHead);
    const after = await updateUser(tx, id, { ...change, disclosureHead }, actorId);
    if (!after) throw notFound('User');
    const action = change.password !== undefined && Object.keys(change).length === 1 ? 'password_reset' : headAction(before, after);
    await recordAudit(tx, { actorId, action, subjectType: 'user', subjectId: id, before: audited(before), after: { ...audited(after), ...(change.password !== undefined ? { passwordReset: true } : {}) } });
    return after;
  });
}

/**
 * A user's change of their own password: the current one must match. Returns undefined when it
 * does not (the caller counts it like a failed sign-in).
 */
export async function changeOwnPassword(pool: Pool, id: string, currentPassword: string, newPassword: string): Promise<User | undefined> {
  const current = await findUserById(pool, id);
  if (!current || !(await verifyPassword(current.passwordHash, currentPassword))) return undefined;
  return withTransaction(pool, async (tx) => {
    const after = await updateUser(tx, id, { password: newPassword }, id);
    if (!after) throw notFound('User');
    await recordAudit(tx, { actorId: id, action: 'password_change', subjectType: 'user', subjectId: id, before: audited(current), after: audited(after) });
    return after;
  });
}
