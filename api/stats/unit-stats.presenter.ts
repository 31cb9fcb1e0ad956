import type { StoredWeights } from '../../models/stats/ranking.js';
import type { UnitFigures } from '../../models/stats/unit-stats.js';

/** The columns of the CSV, in order: the JSON field names, so that a sheet and the API read alike. */
export const CSV_COLUMNS = [
  'unitCode', 'name', 'level', 'received', 'dispatched', 'acceptedOnTime', 'replied', 'repliedOnTime', 'overdue', 'overdueNow', 'returned',
  'extended', 'reopened', 'escalated', 'rated', 'satisfied', 'basicallySatisfied', 'dissatisfied', 'acceptDue', 'resolutionDue',
  'responseRate', 'resolutionRate', 'satisfactionRate',
] as const satisfies readonly (keyof UnitFigures)[];

// Excel reads a file without a byte order mark as the local code page and garbles Chinese.
const BOM = '\uFEFF';

function cell(column: string, value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return column.endsWith('Rate') ? value.toFixed(4) : String(value);
  // A leading = + - @ would be a formula to a spreadsheet; the quote keeps it text.
  const text = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The figures as CSV for Excel: UTF-8 with a BOM, a header row, one row per item, CRLF line ends. */
export function unitStatsCsv(items: readonly UnitFigures[]): string {
  const lines = [CSV_COLUMNS.join(','), ...items.map((item) => CSV_COLUMNS.map((c) => cell(c, item[c])).join(','))];
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

export const presentWeights = (w: StoredWeights): Record<string, unknown> => ({
  response: w.response,
  resolution: w.resolution,
  satisfaction: w.satisfaction,
  overduePenalty: w.overduePenalty,
  version: w.version,
  updatedAt: w.updatedAt.toISOString(),
  updatedBy: w.updatedBy,
});
