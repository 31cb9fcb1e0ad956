import { badRequest, notFound } from '../../errors.js';
import { withTransaction, type Pool } from '../../infra/db.js';
import { recordAudit } from './audit.repository.js';
import { verifyPassword } from './password.js';
import { findUserById, updateUser, type User, type UserChange } from './user.repository.js';

// What the audit trail keeps of an account: never its hash.
const audited = (u: User): Record<string, unknown> => ({ username: u.username, role: u.role, unitCode: u.unitCode, disabled: u.disabled, tokenVersion: u.tokenVersion });

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
    const after = await updateUser(tx, id, change, actorId);
    if (!after) throw notFound('User');
    const action = change.password !== undefined && Object.keys(change).length === 1 ? 'password_reset' : 'update';
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
