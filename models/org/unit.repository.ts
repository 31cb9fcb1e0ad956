import type { Queryable } from '../../infra/db.js';
import type { UnitKind, UnitSeed } from './seed/org-tree.js';

/** A unit of the organisation tree: a division, a department or one of the offices. */
export interface Unit {
  code: string;
  name: string;
  shortName: string;
  kind: UnitKind;
  parentCode: string | null;
  disabled: boolean;
}

/** What `listUnits` filters on; `q` matches names by substring and pinyin by prefix; disabled units only with `includeDisabled`. */
export interface UnitFilter {
  includeDisabled?: boolean;
  kind?: string;
  parent?: string;
  q?: string;
  limit: number;
  offset: number;
}

interface UnitRow {
  code: string;
  name: string;
  short_name: string;
  kind: UnitKind;
  parent_code: string | null;
  disabled: boolean;
}

const UNIT_COLUMNS = 'code, name, short_name, kind, parent_code, disabled_at IS NOT NULL AS disabled';

function toUnit(row: UnitRow): Unit {
  return { code: row.code, name: row.name, shortName: row.short_name, kind: row.kind, parentCode: row.parent_code, disabled: row.disabled };
}

/** Escapes LIKE metacharacters so that user text and stored paths match literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * Inserts the seed units that are not there yet, in one statement, and returns how many it
 * inserted. Re-running it, or running it from two processes at once, inserts each unit once.
 */
export async function seedUnits(db: Queryable, units: readonly UnitSeed[]): Promise<number> {
  if (units.length === 0) return 0;
  // No conflict target: `path` is unique too, and a unique index that is not an arbiter raises
  // 23505 when a concurrent seeder commits the same row first; every unique index as an arbiter
  // skips it instead. A code fixes its path, so nothing else can conflict.
  // Rows go in code order so that two concurrent seeders wait on each other's rows in the same
  // order and cannot deadlock. The parent foreign key is checked at the end of the statement, so
  // parents and children may arrive in any order within it.
  const result = await db.query(
    `INSERT INTO units (code, name, short_name, kind, parent_code, path, pinyin, pinyin_initials)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                          $7::text[], $8::text[])
     ORDER BY 1
     ON CONFLICT DO NOTHING`,
    [
      units.map((unit) => unit.code),
      units.map((unit) => unit.name),
      units.map((unit) => unit.shortName),
      units.map((unit) => unit.kind),
      units.map((unit) => unit.parentCode),
      units.map((unit) => unit.path),
      units.map((unit) => unit.pinyin),
      units.map((unit) => unit.pinyinInitials),
    ],
  );
  return result.rowCount ?? 0;
}

/** Lists units in tree order (by path), filtered, one page at a time, with the total count. */
export async function listUnits(db: Queryable, filter: UnitFilter): Promise<{ items: Unit[]; total: number }> {
  const q = filter.q?.trim() ?? '';
  const namePattern = q === '' ? null : `%${escapeLike(q)}%`;
  // Pinyin is stored lowercase without spaces, so "Tan Yi" still finds tanyizhen.
  const pinyinPattern = q === '' ? null : `${escapeLike(q.toLowerCase().replace(/\s+/g, ''))}%`;
  // One statement, so that the page and the total come from the same snapshot; the total
  // survives an offset past the end, which a window count over the page rows would not.
  const result = await db.query<{ total: number; items: UnitRow[] }>(
    `WITH matched AS (
       SELECT ${UNIT_COLUMNS}, path
         FROM units
        WHERE ($1::text IS NULL OR kind = $1)
          AND ($2::text IS NULL OR parent_code = $2)
          AND ($7 OR disabled_at IS NULL)
          AND ($3::text IS NULL
               OR name ILIKE $3 ESCAPE '\\' OR short_name ILIKE $3 ESCAPE '\\'
               OR pinyin_initials LIKE $4 ESCAPE '\\' OR pinyin LIKE $4 ESCAPE '\\')
     ), page AS (
       SELECT * FROM matched ORDER BY path LIMIT $5 OFFSET $6
     )
     SELECT (SELECT count(*) FROM matched)::int AS total,
            COALESCE((SELECT json_agg(json_build_object('code', code, 'name', name, 'short_name', short_name,
                                                        'kind', kind, 'parent_code', parent_code, 'disabled', disabled) ORDER BY path)
                        FROM page), '[]'::json) AS items`,
    [filter.kind ?? null, filter.parent ?? null, namePattern, pinyinPattern, filter.limit, filter.offset, filter.includeDisabled ?? false],
  );
  const row = result.rows[0];
  return { items: (row?.items ?? []).map(toUnit), total: row?.total ?? 0 };
}

/** Returns the unit with this code, or undefined when there is none. */
export async function getUnit(db: Queryable, code: string): Promise<Unit | undefined> {
  const result = await db.query<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM units WHERE code = $1`, [code]);
  const row = result.rows[0];
  return row === undefined ? undefined : toUnit(row);
}
