import type { UnitFigures } from '../../../../models/insights/stats/unit-stats.js';

/** One item of GET /api/stats/units: a unit's figures rolled up over its subtree, as the API types them. */
export type UnitStat = UnitFigures;

/** A step of the drill-down trail: the city, a county, a township. */
export interface TrailStep {
  readonly code: string;
  readonly name: string;
}

/** A rate as the screen shows it: a percentage with one decimal, a dash when there is nothing to divide. */
export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}

// Divisions have levels below them; a township or a department is the bottom of the drill-down.
const DRILLABLE_KINDS = new Set(['city', 'county']);

/** Whether a row of the table opens the level below it. */
export function canDrill(item: Pick<UnitStat, 'kind' | 'level'>): boolean {
  return item.level === 'child' && DRILLABLE_KINDS.has(item.kind);
}

/** The trail after opening `unit` from the last step (county → township). */
export function drillInto(trail: readonly TrailStep[], unit: TrailStep): TrailStep[] {
  return trail.some((s) => s.code === unit.code) ? [...trail] : [...trail, unit];
}

/** The trail back up to step `index` (0: where the user started). */
export function drillUpTo(trail: readonly TrailStep[], index: number): TrailStep[] {
  return trail.slice(0, Math.max(1, index + 1));
}

/** The column headings of the unit table and its CSV export, in order, with each row's cells. */
export const UNIT_COLUMNS: readonly { key: keyof UnitStat; label: string; rate?: boolean }[] = [
  { key: 'name', label: '单位' },
  { key: 'received', label: '受理量' },
  { key: 'responseRate', label: '响应率', rate: true },
  { key: 'resolutionRate', label: '办结率', rate: true },
  { key: 'satisfactionRate', label: '满意率', rate: true },
  { key: 'overdueNow', label: '当前超期' },
  { key: 'overdue', label: '超期（红牌）' },
  { key: 'returned', label: '退单' },
  { key: 'escalated', label: '催办' },
  { key: 'rated', label: '评价数' },
];

/** The unit table as CSV rows: rates as fractions with 4 decimals (as the API's export), empty when none. */
export function unitCsvRows(items: readonly UnitStat[]): { header: string[]; rows: unknown[][] } {
  return {
    header: ['单位编码', ...UNIT_COLUMNS.map((c) => c.label)],
    rows: items.map((item) => [
      item.unitCode,
      ...UNIT_COLUMNS.map((c) => {
        const value = item[c.key];
        return c.rate ? (value === null ? '' : Number(Number(value).toFixed(4))) : value;
      }),
    ]),
  };
}

/** A rectangle of the treemap, in the drawing's own units. */
export interface TreemapTile<T> {
  readonly item: T;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

function worstAspect(row: readonly number[], side: number): number {
  const sum = row.reduce((a, b) => a + b, 0);
  const max = Math.max(...row);
  const min = Math.min(...row);
  return Math.max((side * side * max) / (sum * sum), (sum * sum) / (side * side * min));
}

/**
 * Squarified treemap (Bruls, Huizing, van Wijk): tiles of area proportional to `value`, laid row by
 * row along the shorter side while that keeps them closer to squares. Items of value 0 get no tile.
 */
export function squarify<T>(items: readonly T[], value: (item: T) => number, box: { x: number; y: number; w: number; h: number }): TreemapTile<T>[] {
  const positive = items.filter((i) => value(i) > 0).sort((a, b) => value(b) - value(a));
  const total = positive.reduce((s, i) => s + value(i), 0);
  if (!total || box.w <= 0 || box.h <= 0) return [];
  const scale = (box.w * box.h) / total;
  const tiles: TreemapTile<T>[] = [];
  let { x, y, w, h } = box;
  let row: T[] = [];
  const areas = (r: readonly T[]): number[] => r.map((i) => value(i) * scale);
  const layRow = (): void => {
    const rowAreas = areas(row);
    const sum = rowAreas.reduce((a, b) => a + b, 0);
    if (w >= h) {
      const colW = sum / h;
      let cy = y;
      row.forEach((item, k) => {
        const th = (rowAreas[k] ?? 0) / colW;
        tiles.push({ item, x, y: cy, w: colW, h: th });
        cy += th;
      });
      x += colW;
      w -= colW;
    } else {
      const rowH = sum / w;
      let cx = x;
      row.forEach((item, k) => {
        const tw = (rowAreas[k] ?? 0) / rowH;
        tiles.push({ item, x: cx, y, w: tw, h: rowH });
        cx += tw;
      });
      y += rowH;
      h -= rowH;
    }
    row = [];
  };
  for (const item of positive) {
    const side = Math.min(w, h);
    if (row.length && worstAspect(areas([...row, item]), side) > worstAspect(areas(row), side)) layRow();
    row.push(item);
  }
  if (row.length) layRow();
  return tiles;
}

/** A division of GET /api/stats/case-mix. */
export interface DivisionCount {
  readonly code: string;
  readonly name: string | null;
  readonly countyCode: string | null;
  readonly countyName: string | null;
  readonly received: number;
}

/** Counties with their townships (a case located only to its county counts as the county's own 县直/未细分). */
export function groupByCounty(divisions: readonly DivisionCount[]): { code: string; name: string; received: number; townships: DivisionCount[] }[] {
  const counties = new Map<string, { code: string; name: string; received: number; townships: DivisionCount[] }>();
  for (const d of divisions) {
    const code = d.countyCode ?? '';
    const county = counties.get(code) ?? { code, name: d.countyName ?? '未识别地区', received: 0, townships: [] };
    county.received += d.received;
    county.townships.push(d.code.length > 6 ? d : { ...d, name: `${county.name}（未细分到乡镇）` });
    counties.set(code, county);
  }
  return [...counties.values()].sort((a, b) => b.received - a.received);
}
