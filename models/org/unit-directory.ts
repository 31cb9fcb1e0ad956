import type { Queryable } from '../../infra/db.js';

/** A unit as the directory holds it. */
export interface DirectoryUnit {
  readonly code: string;
  readonly name: string;
  readonly shortName: string;
  readonly kind: string;
  readonly parentCode: string | null;
  readonly path: string;
  /** Disabled units keep their cases and history; nothing new is dispatched to them. */
  readonly disabled: boolean;
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

/** A directory read again from the table when an admin changes the tree (in every process). */
export interface LiveUnitDirectory extends UnitDirectory {
  refresh(): Promise<void>;
}

async function readUnits(db: Queryable): Promise<DirectoryUnit[]> {
  const { rows } = await db.query<{ code: string; name: string; short_name: string; kind: string; parent_code: string | null; path: string; disabled: boolean }>(
    'SELECT code, name, short_name, kind, parent_code, path, disabled_at IS NOT NULL AS disabled FROM units ORDER BY path',
  );
  return rows.map((r) => ({ code: r.code, name: r.name, shortName: r.short_name, kind: r.kind, parentCode: r.parent_code, path: r.path, disabled: r.disabled }));
}

/** Loads the directory from the units table; `refresh` swaps in the table's current rows. */
export async function loadUnitDirectory(db: Queryable): Promise<LiveUnitDirectory> {
  let current = createUnitDirectory(await readUnits(db));
  return {
    get: (code) => current.get(code),
    subtree: (code) => current.subtree(code),
    isWithin: (ancestor, code) => current.isWithin(ancestor, code),
    all: () => current.all(),
    refresh: async () => {
      current = createUnitDirectory(await readUnits(db));
    },
  };
}

/** Whether routing may dispatch to `code`: true, false when no such unit exists, 'disabled' when it is disabled. */
export function unitAvailability(units: UnitDirectory, code: string): boolean | 'disabled' {
  const unit = units.get(code);
  if (!unit) return false;
  return unit.disabled ? 'disabled' : true;
}
