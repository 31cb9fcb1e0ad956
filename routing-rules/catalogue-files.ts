import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMatter, type Matter } from './catalogue.js';

/** Where the dispatch catalogue lives: one JSON file per field, `{ about, matters: [...] }`. */
export const CATALOGUE_DIR = fileURLToPath(new URL('./catalogue/', import.meta.url));

function readField(file: string): Matter[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const matters = typeof parsed === 'object' && parsed !== null ? (parsed as { matters?: unknown }).matters : undefined;
  if (!Array.isArray(matters)) throw new Error(`${file}: expected { "matters": [...] }`);
  return matters.map((matter, i) => parseMatter(matter, `${file} matters[${i}]`));
}

let cached: Matter[] | undefined;

/** The dispatch catalogue's matters, in file order; read once per process (the files are data shipped with the code). */
export function loadCatalogue(dir: string = CATALOGUE_DIR): Matter[] {
  if (dir === CATALOGUE_DIR && cached) return cached;
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  const matters = files.flatMap((name) => readField(join(dir, name)));
  if (dir === CATALOGUE_DIR) cached = matters;
  return matters;
}
