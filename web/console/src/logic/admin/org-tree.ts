/** A unit as GET /api/units lists it. */
export interface UnitRow {
  readonly code: string;
  readonly name: string;
  readonly kind: string;
  readonly parentCode: string | null;
  readonly shortName?: string;
  /** Disabled units stay in the tree, marked, and are offered in no picker. */
  readonly disabled?: boolean;
}

/** A node of the organisation tree. */
export interface UnitNode extends UnitRow {
  readonly children: UnitNode[];
}

/**
 * The tree of the listed units, children in the order listed (the API lists by path). A unit whose
 * parent is not listed becomes a root, so that a partial list still shows every unit.
 */
export function buildUnitTree(units: readonly UnitRow[]): UnitNode[] {
  const nodes = new Map<string, UnitNode>(units.map((u) => [u.code, { ...u, children: [] }]));
  const roots: UnitNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentCode ? nodes.get(node.parentCode) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Whether a unit matches a search typed in the tree: its name or the start of its code. */
export function unitMatches(unit: UnitRow, q: string): boolean {
  const text = q.trim();
  return !text || unit.name.includes(text) || unit.code.startsWith(text);
}
