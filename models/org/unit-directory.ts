import type { Queryable } from '../../infra/db.js';

/** A unit as the directory holds it. */
export interface DirectoryUnit {
  readonly code: string;
  readonly name: string;
  readonly shortName: string;
  readonly kind: string;
  readonly parentCode: string | null;
  readonly path: string;
}

/**
 * The organisation tree held in memory: a few hundred rows that change with the org chart, read
 * on every request for scoping and names.
 */
export interface UnitDirectory {
  get(code: string): DirectoryUnit | undefined;
  /** The unit and every unit below it. */
  subtree(code: string): string[];
  /** Whether `code` is `ancestor` or lies below it. */
  isWithin(ancestor: string, code: string): boolean;
  all(): readonly DirectoryUnit[];
}

/** Builds a directory from a list of units. */
export function createUnitDirectory(units: readonly DirectoryUnit[]): UnitDirectory {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const subtrees = new Map<string, string[]>();
  return {
    get: (code) => byCode.get(code),
    subtree: (code) => {
      const cached = subtrees.get(code);
      if (cached) return cached;
      const root = byCode.get(code);
      const codes = root ? units.filter((u) => u.path.startsWith(root.path)).map((u) => u.code) : [];
      subtrees.set(code, codes);
      return codes;
    },
    isWithin: (ancestor, code) => {
      const a = byCode.get(ancestor);
      const u = byCode.get(code);
      return Boolean(a && u && u.path.startsWith(a.path));
    },
    all: () => units,
  };
}

/** Loads the directory from the units table. */
export async function loadUnitDirectory(db: Queryable): Promise<UnitDirectory> {
  const { rows } = await db.query<{ code: string; name: string; short_name: string; kind: string; parent_code: string | null; path: string }>(
    'SELECT code, name, short_name, kind, parent_code, path FROM units ORDER BY path',
  );
  return createUnitDirectory(rows.map((r) => ({ code: r.code, name: r.name, shortName: r.short_name, kind: r.kind, parentCode: r.parent_code, path: r.path })));
}
