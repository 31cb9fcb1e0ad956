import { badRequest, conflict, notFound } from '../../errors.js';
import { withTransaction, type Pool, type PoolClient } from '../../infra/db.js';
import { recordAudit } from '../accounts/audit.repository.js';
import { pinyinOf, type UnitKind } from './seed/org-tree.js';

/** A unit as an admin edits it. */
export interface EditableUnit {
  readonly code: string;
  readonly name: string;
  readonly shortName: string;
  readonly kind: UnitKind;
  readonly parentCode: string | null;
  readonly disabled: boolean;
}

/** What PATCH changes: a new name, a new parent, disabled or enabled again; each optional. */
export interface UnitChange {
  readonly name?: string;
  readonly shortName?: string;
  readonly parentCode?: string;
  readonly disabled?: boolean;
}

interface Row {
  code: string;
  name: string;
  short_name: string;
  kind: UnitKind;
  parent_code: string | null;
  path: string;
  disabled_at: Date | null;
}

const toUnit = (r: Row): EditableUnit => ({ code: r.code, name: r.name, shortName: r.short_name, kind: r.kind, parentCode: r.parent_code, disabled: r.disabled_at !== null });

async function lockUnit(client: PoolClient, code: string, field: string): Promise<Row> {
  const { rows } = await client.query<Row>('SELECT * FROM units WHERE code = $1 FOR UPDATE', [code]);
  const row = rows[0];
  if (!row) throw field === 'params.code' ? notFound('Unit') : badRequest('Unknown unit', [{ path: field, message: `no unit has the code "${code}"` }]);
  return row;
}

/** Creates a unit under `parentCode`, its pinyin computed as the seed's are, and audits it. A taken code is a 409. */
export function createUnit(pool: Pool, input: { code: string; name: string; shortName?: string; kind: UnitKind; parentCode: string }, by: string | null): Promise<EditableUnit> {
  return withTransaction(pool, async (client) => {
    const parent = await lockUnit(client, input.parentCode, 'body.parentCode');
    const { rows: taken } = await client.query('SELECT 1 FROM units WHERE code = $1', [input.code]);
    if (taken.length) throw conflict('A unit already has this code', [{ path: 'body.code', message: `unit ${input.code} exists` }]);
    const { pinyin, pinyinInitials } = pinyinOf(input.name);
    const { rows } = await client.query<Row>(
      `INSERT INTO units (code, name, short_name, kind, parent_code, path, pinyin, pinyin_initials) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [input.code, input.name, input.shortName ?? input.name, input.kind, parent.code, `${parent.path}${input.code}/`, pinyin, pinyinInitials],
    );
    const unit = toUnit(rows[0] as Row);
    await recordAudit(client, { actorId: by, action: 'create', subjectType: 'unit', subjectId: unit.code, after: unit });
    return unit;
  });
}

/**
 * Renames, moves (with its whole subtree, never under itself) and disables or enables a unit, in one
 * transaction with one audit row per kind of change. Answers the unit and whether the tree's shape
 * changed (the statistics' subtree rollups then need rebuilding).
 */
export function changeUnit(pool: Pool, code: string, change: UnitChange, by: string | null): Promise<{ unit: EditableUnit; moved: boolean }> {
  return withTransaction(pool, async (client) => {
    const before = await lockUnit(client, code, 'params.code');
    let moved = false;
    // The console's dialog sends the name with every save: only a real rename is written and audited.
    if ((change.name !== undefined && change.name !== before.name) || (change.shortName !== undefined && change.shortName !== before.short_name)) {
      const name = change.name ?? before.name;
      const { pinyin, pinyinInitials } = pinyinOf(name);
      await client.query('UPDATE units SET name = $2, short_name = $3, pinyin = $4, pinyin_initials = $5 WHERE code = $1', [code, name, change.shortName ?? (change.name ?? before.short_name), pinyin, pinyinInitials]);
      await recordAudit(client, { actorId: by, action: 'rename', subjectType: 'unit', subjectId: code, before: { name: before.name, shortName: before.short_name }, after: { name, shortName: change.shortName ?? change.name ?? before.short_name } });
    }
    if (change.parentCode !== undefined && change.parentCode !== before.parent_code) {
      if (before.parent_code === null) throw badRequest('The root of the tree cannot move', [{ path: 'body.parentCode', message: 'the city is the root of the tree' }]);
      const parent = await lockUnit(client, change.parentCode, 'body.parentCode');
      if (parent.path.startsWith(before.path)) throw badRequest('A unit cannot move under itself', [{ path: 'body.parentCode', message: `${parent.code} is within ${code}'s own subtree` }]);
      const path = `${parent.path}${code}/`;
      // The subtree's paths change with it: one prefix replaced, so that a subtree stays one prefix match.
      await client.query(`UPDATE units SET path = $2 || substr(path, length($1) + 1) WHERE path LIKE $3`, [before.path, path, `${before.path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`]);
      await client.query('UPDATE units SET parent_code = $2 WHERE code = $1', [code, parent.code]);
      await recordAudit(client, { actorId: by, action: 'move', subjectType: 'unit', subjectId: code, before: { parentCode: before.parent_code }, after: { parentCode: parent.code } });
      moved = true;
    }
    if (change.disabled !== undefined && change.disabled !== (before.disabled_at !== null)) {
      if (change.disabled && before.parent_code === null) throw badRequest('The root of the tree cannot be disabled', [{ path: 'body.disabled', message: 'the city is the root of the tree' }]);
      await client.query('UPDATE units SET disabled_at = CASE WHEN $2 THEN now() END WHERE code = $1', [code, change.disabled]);
      await recordAudit(client, { actorId: by, action: change.disabled ? 'disable' : 'enable', subjectType: 'unit', subjectId: code });
    }
    const { rows } = await client.query<Row>('SELECT * FROM units WHERE code = $1', [code]);
    return { unit: toUnit(rows[0] as Row), moved };
  });
}
