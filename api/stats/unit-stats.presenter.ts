import type { StoredWeights } from '../../models/insights/stats/ranking.js';
import type { UnitFigures } from '../../models/insights/stats/unit-stats.js';
import { csvCell, csvDocument } from '../http/csv.js';

/** The columns of the CSV, in order: the JSON field names, so that a sheet and the API read alike. */
export const CSV_COLUMNS = [
  'unitCode', 'name', 'level', 'received', 'dispatched', 'acceptedOnTime', 'replied', 'repliedOnTime', 'overdue', 'overdueNow', 'returned',
  'extended', 'reopened', 'escalated', 'rated', 'satisfied', 'basicallySatisfied', 'dissatisfied', 'petitionsRejected', 'acceptDue', 'resolutionDue',
  'responseRate', 'resolutionRate', 'satisfactionRate', 'ratingsExcluded', 'ratingAppeals', 'disputed', 'disputesUpheld', 'disputesDismissed',
  'registered', 'answeredDirectly', 'directAnswerRate',
  'firstDispatched', 'firstDispatchKept', 'autoDispatched', 'firstDispatchAccuracy', 'autoDispatchRate',
] as const satisfies readonly (keyof UnitFigures)[];

function cell(column: string, value: string | number | null): string {
  if (typeof value === 'number' && (column.endsWith('Rate') || column.endsWith('Accuracy'))) return value.toFixed(4);
  return csvCell(value);
}

/** The figures as CSV for Excel: UTF-8 with a BOM, a header row, one row per item, CRLF line ends. */
export function unitStatsCsv(items: readonly UnitFigures[]): string {
  return csvDocument([[...CSV_COLUMNS], ...items.map((item) => CSV_COLUMNS.map((c) => cell(c, item[c])))]);
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
