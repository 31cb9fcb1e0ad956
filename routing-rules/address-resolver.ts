import type { Gazetteer, GazetteerCounty, GazetteerTownship } from './gazetteer.js';
import type { GazetteerVillage } from './villages.js';

/** A township a name could mean, listed when the name alone cannot tell which. */
export interface DivisionCandidate {
  readonly code: string;
  readonly name: string;
  readonly countyCode: string;
}

/** Where an address text points: county and township codes, or why it points nowhere. */
export interface DivisionResolution {
  readonly countyCode: string | null;
  readonly townshipCode: string | null;
  /** The township when known, else the county, else null (city level). */
  readonly divisionCode: string | null;
  /** The townships a name could mean when it exists in several counties and no county is named. */
  readonly ambiguous: readonly DivisionCandidate[];
  readonly explanation: string;
}

/** Resolves free address text against one city's gazetteer; built once, called on every intake. */
export interface AddressResolver {
  resolveDivision(text: string): DivisionResolution;
}

type Entry =
  | { readonly kind: 'city' }
  | { readonly kind: 'county'; readonly county: GazetteerCounty }
  | { readonly kind: 'township'; readonly townships: readonly GazetteerTownship[] };

interface Key {
  readonly text: string;
  /** Short names are looser, so they are checked against what follows them. */
  readonly short: boolean;
  readonly entry: Entry;
}

// Names of the city and province are consumed so that e.g. 临沂南 is not read as 沂南.
const CITY_NAMES = ['山东省', '山东', '临沂市', '临沂'];

// Township short names that are everyday words or stock street names (地方镇 -> 地方 "place",
// 花园镇 -> 花园 "garden", 十字路口 "crossroads", 胜利路 in every city): only their full names count.
const COMMON_WORD_SHORT_NAMES = new Set([
  '地方', '花园', '胜利', '朝阳', '太平', '新兴', '长城', '大兴', '温水', '道口', '相公', '柏林', '红花',
  '石门', '玉山', '青云', '十字路', '诸葛', '南桥',
]);

// A short name followed by these is part of another name (张庄村 is a village, 兰山路 a road).
const BLOCKING_NEXT_CHARS = new Set(['路', '街', '村', '巷', '弄']);
const BLOCKING_NEXT_WORDS = ['社区', '小区', '花园', '广场', '公园', '大道', '大厦', '胡同'];

function isBlockedAfter(text: string, end: number): boolean {
  const next = text[end];
  if (next === undefined) return false;
  if (BLOCKING_NEXT_CHARS.has(next)) return true;
  return BLOCKING_NEXT_WORDS.some((word) => text.startsWith(word, end));
}

/** Adds a key unless a stronger one (full over short, county over township) already holds the text. */
function addKey(keys: Map<string, Key>, key: Key): void {
  const held = keys.get(key.text);
  if (held === undefined) {
    keys.set(key.text, key);
    return;
  }
  if (held.short && !key.short) {
    keys.set(key.text, key);
    return;
  }
  if (held.short === key.short && held.entry.kind === 'township' && key.entry.kind === 'township') {
    keys.set(key.text, { ...held, entry: { kind: 'township', townships: [...held.entry.townships, ...key.entry.townships] } });
  }
}

function buildKeys(gazetteer: Gazetteer): Map<string, Key> {
  const keys = new Map<string, Key>();
  for (const text of CITY_NAMES) addKey(keys, { text, short: false, entry: { kind: 'city' } });
  for (const county of gazetteer.counties) {
    const entry: Entry = { kind: 'county', county };
    addKey(keys, { text: county.name, short: false, entry });
    if (county.shortName !== county.name && county.shortName.length >= 2) {
      addKey(keys, { text: county.shortName, short: true, entry });
    }
  }
  for (const township of gazetteer.townships) {
    const entry: Entry = { kind: 'township', townships: [township] };
    addKey(keys, { text: township.name, short: false, entry });
    const { shortName } = township;
    if (shortName !== township.name && shortName.length >= 2 && !COMMON_WORD_SHORT_NAMES.has(shortName)) {
      addKey(keys, { text: shortName, short: true, entry });
    }
  }
  return keys;
}

/** Keys grouped by first character, longest first, so the scan tries the longest match first. */
function indexByFirstChar(keys: Map<string, Key>): Map<string, Key[]> {
  const index = new Map<string, Key[]>();
  for (const key of keys.values()) {
    const first = key.text[0];
    if (first === undefined) continue;
    const list = index.get(first) ?? [];
    list.push(key);
    index.set(first, list);
  }
  for (const list of index.values()) list.sort((a, b) => b.text.length - a.text.length);
  return index;
}

/** Leftmost-longest scan: at each position the longest name that fits is taken and skipped over. */
function scan(index: Map<string, Key[]>, text: string): Key[] {
  const hits: Key[] = [];
  let at = 0;
  while (at < text.length) {
    const candidates = index.get(text[at] ?? '');
    const key = candidates?.find(
      (k) => text.startsWith(k.text, at) && !(k.short && isBlockedAfter(text, at + k.text.length)),
    );
    if (key === undefined) {
      at += 1;
      continue;
    }
    hits.push(key);
    at += key.text.length;
  }
  return hits;
}

interface FoundCounty {
  readonly county: GazetteerCounty;
  readonly from: string;
}

interface TownshipHit {
  readonly candidates: readonly GazetteerTownship[];
  readonly from: string;
}

interface FoundTownship {
  readonly township: GazetteerTownship;
  readonly from: string;
}

type CountyNames = ReadonlyMap<string, GazetteerCounty>;

function describeTownships(townships: readonly GazetteerTownship[], counties: CountyNames, joiner: string): string {
  return townships.map((t) => `${t.name} (${counties.get(t.countyCode)?.name ?? t.countyCode})`).join(joiner);
}

function resolveHits(hits: readonly Key[], countyByCode: CountyNames): DivisionResolution {
  const counties = new Map<string, FoundCounty>();
  const townshipHits: TownshipHit[] = [];
  for (const { text, entry } of hits) {
    if (entry.kind === 'county' && !counties.has(entry.county.code)) {
      counties.set(entry.county.code, { county: entry.county, from: text });
    }
    if (entry.kind === 'township') townshipHits.push({ candidates: entry.townships, from: text });
  }
  if (counties.size > 0) return resolveUnderCounties([...counties.values()], townshipHits, countyByCode);
  for (const { candidates, from } of townshipHits) {
    const [township] = candidates;
    if (township === undefined || candidates.length > 1) continue;
    const countyName = countyByCode.get(township.countyCode)?.name ?? township.countyCode;
    return located({ township, from }, null, countyName);
  }
  const [ambiguousHit] = townshipHits;
  if (ambiguousHit !== undefined) return ambiguousResolution(ambiguousHit, countyByCode);
  return nowhere('no county or township named in the text');
}

/** Counties are named: the first township under one of them wins, else the first county named. */
function resolveUnderCounties(
  counties: readonly FoundCounty[],
  townshipHits: readonly TownshipHit[],
  countyByCode: CountyNames,
): DivisionResolution {
  for (const { candidates, from } of townshipHits) {
    for (const township of candidates) {
      const named = counties.find((c) => c.county.code === township.countyCode);
      if (named === undefined) continue;
      return located({ township, from }, `county ${named.county.name} from "${named.from}"`, named.county.name);
    }
  }
  const [first] = counties;
  if (first === undefined) return nowhere('no county or township named in the text');
  const notes = [counties.map((c) => `county ${c.county.name} from "${c.from}"`).join(', ')];
  if (counties.length > 1) notes.push('the first county named wins');
  const stray = townshipHits.flatMap((h) => h.candidates);
  if (stray.length > 0) notes.push(`township ${describeTownships(stray, countyByCode, ', ')} ignored: not in the county named`);
  const { code } = first.county;
  return { countyCode: code, townshipCode: null, divisionCode: code, ambiguous: [], explanation: notes.join('; ') };
}

/** A township was found; `countyNote` says how its county was found, or that the township implies it. */
function located({ township, from }: FoundTownship, countyNote: string | null, countyName: string): DivisionResolution {
  const townshipNote = `township ${township.name} from "${from}"`;
  const notes = countyNote === null ? [townshipNote, `county ${countyName} implied by the township`] : [countyNote, townshipNote];
  const { code, countyCode } = township;
  return { countyCode, townshipCode: code, divisionCode: code, ambiguous: [], explanation: notes.join('; ') };
}

function ambiguousResolution({ candidates, from }: TownshipHit, countyByCode: CountyNames): DivisionResolution {
  const where = describeTownships(candidates, countyByCode, ' or ');
  return {
    countyCode: null,
    townshipCode: null,
    divisionCode: null,
    ambiguous: candidates.map(({ code, name, countyCode }) => ({ code, name, countyCode })),
    explanation: `"${from}" may be ${where} and no county is named: left at city level`,
  };
}

function nowhere(explanation: string): DivisionResolution {
  return { countyCode: null, townshipCode: null, divisionCode: null, ambiguous: [], explanation };
}

interface VillageKey {
  readonly text: string;
  readonly villages: GazetteerVillage[];
}

/** Village names by first character, longest first; a name several villages share lists them all. */
function indexVillages(villages: readonly GazetteerVillage[]): Map<string, VillageKey[]> {
  const byName = new Map<string, VillageKey>();
  for (const village of villages) {
    for (const name of village.names) {
      const key = byName.get(name) ?? { text: name, villages: [] };
      key.villages.push(village);
      byName.set(name, key);
    }
  }
  const index = new Map<string, VillageKey[]>();
  for (const key of byName.values()) {
    const list = index.get(key.text[0] ?? '') ?? [];
    list.push(key);
    index.set(key.text[0] ?? '', list);
  }
  for (const list of index.values()) list.sort((a, b) => b.text.length - a.text.length);
  return index;
}

/**
 * The township a village named in the text lies in, when the text named no township (or one that
 * exists twice): only when every village of that name under the county or townships named lies in
 * one township, since a name like 王庄村 exists in dozens of them.
 */
function placeByVillage(
  resolution: DivisionResolution,
  text: string,
  villages: Map<string, VillageKey[]>,
  townshipByCode: ReadonlyMap<string, GazetteerTownship>,
): DivisionResolution {
  if (resolution.townshipCode !== null) return resolution;
  for (let at = 0; at < text.length; at += 1) {
    const key = villages.get(text[at] ?? '')?.find((k) => text.startsWith(k.text, at));
    if (key === undefined) continue;
    const candidates = new Set(resolution.ambiguous.map((t) => t.code));
    const inCounty = key.villages.filter(
      (v) => (resolution.countyCode === null || v.countyCode === resolution.countyCode) && (candidates.size === 0 || candidates.has(v.townshipCode)),
    );
    const townships = new Set(inCounty.map((v) => v.townshipCode));
    const township = townshipByCode.get([...townships][0] ?? '');
    if (townships.size !== 1 || township === undefined) continue;
    const countyNote = resolution.countyCode === null ? '' : `${resolution.explanation}; `;
    return {
      countyCode: township.countyCode,
      townshipCode: township.code,
      divisionCode: township.code,
      ambiguous: [],
      explanation: `${countyNote}township ${township.name} from the village "${key.text}"`,
    };
  }
  return resolution;
}

/** Builds the name index once (full and short names, longest match first) and returns the resolver. */
export function createAddressResolver(gazetteer: Gazetteer): AddressResolver {
  const index = indexByFirstChar(buildKeys(gazetteer));
  const countyByCode = new Map(gazetteer.counties.map((c) => [c.code, c]));
  const townshipByCode = new Map(gazetteer.townships.map((t) => [t.code, t]));
  const villages = indexVillages(gazetteer.villages ?? []);
  return {
    resolveDivision: (text: string) => placeByVillage(resolveHits(scan(index, text), countyByCode), text, villages, townshipByCode),
  };
}
