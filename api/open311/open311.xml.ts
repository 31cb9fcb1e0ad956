import { XMLBuilder } from 'fast-xml-parser';

const builder = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: false, processEntities: true });

// Empty elements stand for null, as in the spec's examples (<account_id/>, <zipcode/>).
function forXml(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(forXml);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forXml(v)]));
  return value;
}

/** An XML document `<root><item>…</item>…</root>` from a list, as GeoReport's XML responses are. */
export function xmlList(root: string, item: string, items: readonly unknown[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build({ [root]: items.length ? { [item]: forXml(items) } : '' }) as string}`;
}

/** An XML document with one root element holding `content`. */
export function xmlDocument(root: string, content: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build({ [root]: forXml(content) }) as string}`;
}
