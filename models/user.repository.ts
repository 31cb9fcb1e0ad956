import type { Queryable } from '../infra/db.js';
import { hashPassword } from './password.js';

export type StaffRole = 'admin' | 'supervisor' | 'operator' | 'handler';

/** A staff account as the API shows it (never with its hash). */
export interface User {
  readonly id: string;
  readonly username: string;
  readonly role: StaffRole;
  readonly unitCode: string | null;
  readonly createdAt: Date;
}

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: StaffRole;
  unit_code: string | null;
  created_at: Date;
}

function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, role: row.role, unitCode: row.unit_code, createdAt: row.created_at };
}

/** Creates a user; a taken username fails with PostgreSQL's unique violation (mapped to 409). */
export async function createUser(
  db: Queryable,
  input: { username: string; password: string; role: StaffRole; unitCode: string | null },
  createdBy: string | null,
): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (username, password_hash, role, unit_code, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
    [input.username, passwordHash, input.role, input.unitCode, createdBy],
  );
  return toUser(rows[0] as UserRow);
}

/** Finds a user with the password hash, for login. */
export async function findUserForLogin(db: Queryable, username: string): Promise<(User & { passwordHash: string }) | undefined> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
  const row = rows[0];
  return row ? { ...toUser(row), passwordHash: row.password_hash } : undefined;
}

/** Lists users, optionally of one role or unit. */
export async function listUsers(db: Queryable, filter: { role?: StaffRole; unitCode?: string }): Promise<User[]> {
  const { rows } = await db.query<UserRow>(
    `SELECT * FROM users WHERE ($1::text IS NULL OR role = $1) AND ($2::text IS NULL OR unit_code = $2) ORDER BY username`,
    [filter.role ?? null, filter.unitCode ?? null],
  );
  return rows.map(toUser);
}

/**
 * Creates the `admin` account unless it exists. Returns true when this call created it; with
 * several processes starting at once exactly one does.
 */
export async function ensureAdmin(db: Queryable, password: string): Promise<boolean> {
  const passwordHash = await hashPassword(password);
  const { rowCount } = await db.query(
    `INSERT INTO users (username, password_hash, role) VALUES ('admin', $1, 'admin') ON CONFLICT (username) DO NOTHING`,
    [passwordHash],
  );
  return rowCount === 1;
}
