import type { Queryable } from '../../infra/db.js';
import { hashPassword } from './password.js';

export type StaffRole = 'admin' | 'supervisor' | 'operator' | 'handler';

/** A staff account as the API shows it (never with its hash). */
export interface User {
  readonly id: string;
  readonly username: string;
  readonly role: StaffRole;
  readonly unitCode: string | null;
  readonly disabled: boolean;
  /** The head of a disclosure office (政府信息公开工作机构负责人): approves its extensions (art. 33). */
  readonly disclosureHead: boolean;
  /** Bumped by every change that must end the sessions of the account. */
  readonly tokenVersion: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: StaffRole;
  unit_code: string | null;
  disabled: boolean;
  disclosure_head: boolean;
  token_version: number;
  created_at: Date;
  updated_at: Date;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    unitCode: row.unit_code,
    disabled: row.disabled,
    disclosureHead: row.disclosure_head,
    tokenVersion: row.token_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * A username as the system stores and compares it: trimmed, NFKC (full-width letters become
 * ASCII), lower-case. Login and its limits use the same form, so no variant gets its own budget.
 */
export function normaliseUsername(username: string): string {
  return username.trim().normalize('NFKC').trim().toLowerCase();
}

/** Creates a user; a taken username fails with PostgreSQL's unique violation (mapped to 409). */
export async function createUser(
  db: Queryable,
  input: { username: string; password: string; role: StaffRole; unitCode: string | null },
  createdBy: string | null,
): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (username, password_hash, role, unit_code, created_by, updated_by) VALUES ($1, $2, $3, $4, $5, $5) RETURNING *`,
    [normaliseUsername(input.username), passwordHash, input.role, input.unitCode, createdBy],
  );
  return toUser(rows[0] as UserRow);
}

/** Finds a user with the password hash, for login; `username` is normalised here. */
export async function findUserForLogin(db: Queryable, username: string): Promise<(User & { passwordHash: string }) | undefined> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE username = $1', [normaliseUsername(username)]);
  const row = rows[0];
  return row ? { ...toUser(row), passwordHash: row.password_hash } : undefined;
}

/** Finds a user by id; `forUpdate` locks the row for a change in the caller's transaction. */
export async function findUserById(db: Queryable, id: string, forUpdate = false): Promise<(User & { passwordHash: string }) | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT * FROM users WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  const row = rows[0];
  return row ? { ...toUser(row), passwordHash: row.password_hash } : undefined;
}

/** What an administrator may change of an account. */
export interface UserChange {
  readonly role?: StaffRole;
  readonly unitCode?: string | null;
  readonly disabled?: boolean;
  readonly password?: string;
  readonly disclosureHead?: boolean;
}

/**
 * Applies a change to an account and bumps its token version, so that every token and socket
 * issued before the change stops working at once. Returns undefined for an unknown id.
 */
export async function updateUser(db: Queryable, id: string, change: UserChange, updatedBy: string): Promise<User | undefined> {
  const passwordHash = change.password === undefined ? null : await hashPassword(change.password);
  const { rows } = await db.query<UserRow>(
    `UPDATE users SET
        role = COALESCE($2, role),
        unit_code = CASE WHEN $3::boolean THEN $4 ELSE unit_code END,
        disabled = COALESCE($5, disabled),
        password_hash = COALESCE($6, password_hash),
        disclosure_head = COALESCE($8, disclosure_head),
        token_version = token_version + 1,
        updated_at = now(),
        updated_by = $7
      WHERE id = $1 RETURNING *`,
    [id, change.role ?? null, change.unitCode !== undefined, change.unitCode ?? null, change.disabled ?? null, passwordHash, updatedBy, change.disclosureHead ?? null],
  );
  return rows[0] ? toUser(rows[0]) : undefined;
}

/**
 * Whether the account is, as it stands now, the head of the disclosure office `unitCode`: read in the
 * caller's transaction when an extension is decided, not taken from the token.
 */
export async function isDisclosureHeadOf(db: Queryable, id: string, unitCode: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM users WHERE id = $1 AND disclosure_head AND NOT disabled AND unit_code = $2', [id, unitCode]);
  return rows.length > 0;
}

/** The current token version of an account and whether it may sign in; undefined when it is gone. */
export async function findTokenState(db: Queryable, id: string): Promise<{ tokenVersion: number; disabled: boolean } | undefined> {
  const { rows } = await db.query<{ token_version: number; disabled: boolean }>('SELECT token_version, disabled FROM users WHERE id = $1', [id]);
  const row = rows[0];
  return row ? { tokenVersion: row.token_version, disabled: row.disabled } : undefined;
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
