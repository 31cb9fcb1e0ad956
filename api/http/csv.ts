import type { Response } from 'express';

function cell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Sends rows as CSV: UTF-8 with a byte-order mark, so that Excel opens Chinese text correctly. */
export function sendCsv(res: Response, filename: string, header: readonly string[], rows: readonly (readonly unknown[])[]): void {
  const body = [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n');
  res.type('text/csv; charset=utf-8').attachment(filename).send(`\uFEFF${body}\r\n`);
}
