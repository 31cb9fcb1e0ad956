import type { Response } from 'express';

// Excel reads a file without a byte order mark as the local code page and garbles Chinese.
const BOM = '\uFEFF';

/**
 * One CSV cell. Text opening with = + - @, a tab or a carriage return would be read as a formula
 * by a spreadsheet (CSV injection): a leading quote keeps it text. Numbers are the API's own
 * figures and stay numbers.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const raw = String(value);
  const text = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as a CSV document for Excel: UTF-8 with a BOM, CRLF line ends. */
export function csvDocument(rows: readonly (readonly string[])[]): string {
  return `${BOM}${rows.map((row) => row.join(',')).join('\r\n')}\r\n`;
}

/** Sends rows as CSV, every cell through csvCell. */
export function sendCsv(res: Response, filename: string, header: readonly string[], rows: readonly (readonly unknown[])[]): void {
  res.type('text/csv; charset=utf-8').attachment(filename).send(csvDocument([header, ...rows].map((row) => row.map(csvCell))));
}
