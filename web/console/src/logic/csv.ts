import { csvCell } from '../../../../api/http/csv.js';

// The server's own cell rule (= + - @ tab CR neutralised), so an export from the screen reads as the API's do.
export { csvCell };

const BOM = '\uFEFF';

/** A CSV document for Excel: UTF-8 with a BOM, CRLF line ends, every cell through csvCell. */
export function csvDocument(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return `${BOM}${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
