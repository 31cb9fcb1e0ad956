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

/**
 * The unit table's two groups, compared like with like as the ranking does: the divisions (the
 * city's counties and zones, a county's townships) and the departments and offices.
 */
export const UNIT_GROUPS = [
  { name: 'divisions', label: '属地' },
  { name: 'departments', label: '部门' },
] as const;
export type UnitGroup = (typeof UNIT_GROUPS)[number]['name'];

const DIVISION_KINDS = new Set(['county', 'township']);

/** The children of a level in `group`, or all of them when the group has none; the level itself when it has no children. */
export function rowsOfGroup(items: readonly UnitStat[], group: UnitGroup): UnitStat[] {
  const children = items.filter((i) => i.level === 'child');
  if (!children.length) return [...items];
  const grouped = children.filter((i) => DIVISION_KINDS.has(i.kind) === (group === 'divisions'));
  return grouped.length ? grouped : children;
}

/** How many children of a level each group has (the switch shows both only when both have some). */
export function groupSizes(items: readonly UnitStat[]): Record<UnitGroup, number> {
  const children = items.filter((i) => i.level === 'child');
  const divisions = children.filter((i) => DIVISION_KINDS.has(i.kind)).length;
  return { divisions, departments: children.length - divisions };
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
  { key: 'firstDispatchAccuracy', label: '首次派单准确率', rate: true },
  { key: 'autoDispatchRate', label: '自动派单率', rate: true },
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
