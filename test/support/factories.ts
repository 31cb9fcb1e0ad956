import crypto from 'node:crypto';
import { signAccessToken, type Role } from '../../api/auth/token.js';
import { createUser } from '../../models/accounts/user.repository.js';
import { changeUser } from '../../models/accounts/user-accounts.js';
import { harness } from './harness.js';
import { request } from './http.js';

/** A staff member created for one test, with a real signed token. */
export interface Staff {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly unitCode: string | null;
  readonly token: string;
}

/** The password of every account createStaff makes, for tests that log in through a form. */
export const STAFF_PASSWORD = 'a-long-test-password';

/** Creates a staff account (handlers need a unit) and signs a token for it. */
export async function createStaff(role: Role, unitCode: string | null = null): Promise<Staff> {
  const username = `${role}-${crypto.randomBytes(5).toString('hex')}`;
  const user = await createUser(harness().pool, { username, password: STAFF_PASSWORD, role, unitCode }, null);
  const principal = { id: user.id, username, role, unitCode };
  return { ...principal, token: signAccessToken(principal, harness().jwtSecret) };
}

/**
 * Creates a handler of a disclosure office designated as its head (art. 33), as an admin does
 * through PATCH /api/users/{id}, with a token issued after the designation.
 */
export async function createDisclosureHead(unitCode: string): Promise<Staff> {
  const staff = await createStaff('handler', unitCode);
  const head = await changeUser(harness().pool, staff.id, { disclosureHead: true }, staff.id);
  const principal = { id: staff.id, username: staff.username, role: staff.role, unitCode, disclosureHead: true };
  return { ...staff, token: signAccessToken({ ...principal, tokenVersion: head.tokenVersion }, harness().jwtSecret) };
}

/** A hotline intake body; override any field. */
export function intakeBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel: 'hotline',
    type: 'complaint',
    title: '路灯不亮',
    content: `小区门口路灯已经坏了一周，晚上出行不便 ${crypto.randomBytes(3).toString('hex')}`,
    address: '临沂市费县探沂镇朱田村东',
    citizen: { name: '张三', phone: '13812341234' },
    ...overrides,
  };
}

/** Registers a case through the API as an operator and returns it. */
export async function buildCase(overrides: Record<string, unknown> = {}, operator?: Staff): Promise<Record<string, any>> {
  const by = operator ?? (await createStaff('operator'));
  const res = await request('POST', '/api/cases', { token: by.token, body: intakeBody(overrides) });
  if (res.status !== 201) throw new Error(`buildCase failed: ${res.status} ${res.text}`);
  return res.body as Record<string, any>;
}

/** Takes an action on a case through the HTTP API, as a staff member; fails unless it is accepted. */
export async function act(caseId: string, token: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await request('POST', `/api/cases/${caseId}/actions`, { token, body });
  if (res.status !== 200) throw new Error(`action ${String(body.action)} failed: ${res.status} ${res.text}`);
  return res.body as Record<string, any>;
}
