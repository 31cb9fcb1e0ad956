/** The order a sortable column shows its rows in: none is the order the rows came in. */
export type SortOrder = 'ascending' | 'descending' | null;

/** A column of the dashboard's tables. */
export interface Column<Row> {
  /** Names the column's slot (`#name="{ row }"`); without a slot the cell shows `text`. */
  readonly key: string;
  readonly label: string;
  readonly width?: number;
  readonly text?: (row: Row) => string | number;
  /** Makes the header a button that sorts the rows. */
  readonly compare?: (a: Row, b: Row) => number;
  /** Right-aligned, and sorted largest first on the first click. */
  readonly numeric?: boolean;
  /** One line, cut with an ellipsis; the whole text is the cell's title. */
  readonly clip?: boolean;
}

export interface SortState {
  readonly key: string | null;
  readonly order: SortOrder;
}

/**
 * The next state after a click on a column's header: a new column starts with its first order
 * (descending for figures, where the largest matters most), the same column turns to the other
 * order, then back to the rows' own order, as Element Plus's tables do.
 */
export function nextSort(state: SortState, key: string, first: Exclude<SortOrder, null>): SortState {
  if (state.key !== key || state.order === null) return { key, order: first };
  if (state.order === first) return { key, order: first === 'ascending' ? 'descending' : 'ascending' };
  return { key: null, order: null };
}

/** The rows in the state's order. Equal rows keep the order they came in, in either direction. */
export function sortRows<T>(rows: readonly T[], compare: ((a: T, b: T) => number) | undefined, order: SortOrder): T[] {
  if (!compare || order === null) return [...rows];
  const sign = order === 'ascending' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => sign * compare(a.row, b.row) || a.index - b.index)
    .map(({ row }) => row);
}

/** Figures, with a missing one (a rate of no cases) below every figure. */
export const byNumber =
  <T>(value: (row: T) => number | null | undefined) =>
  (a: T, b: T): number =>
    (value(a) ?? -Infinity) - (value(b) ?? -Infinity) || 0;

/** Names in the order of the Chinese dictionary (by pinyin). */
export const byName =
  <T>(value: (row: T) => string) =>
  (a: T, b: T): number =>
    value(a).localeCompare(value(b), 'zh-CN');
