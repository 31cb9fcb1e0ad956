import type { LearnedRouting } from './classifier.js';
import type { RuleTarget } from './rule.js';
import { buildKeywordIndex, normalizeText, type KeywordIndex } from './segmenter.js';
import { jiebaIdf } from './word-specificity.js';

/** One matter (事项) of the dispatch catalogue (派单目录): who owns it and the words that name it. */
export interface Matter {
  readonly id: string;
  readonly name: string;
  readonly target: RuleTarget;
  /** Identifying words and typical wordings; incidental words (consequences, contacts) never belong here. */
  readonly words: readonly string[];
  /**
   * Context words (written `~医院` in the files): they add to the matter's score but weigh too
   * little to decide it alone, because they are often just where something happened.
   */
  readonly contextWords: readonly string[];
  /** Words that mean the case is another matter, even when this one's words appear. */
  readonly exclusions: readonly string[];
  /**
   * For a township's matter: the county department that takes it when the case names its county
   * but no township (a street light in the county town is the county's 城管局). Without one, such
   * a case waits for the centre to ask where.
   */
  readonly withoutTownship?: RuleTarget;
  /**
   * For a county department's matter: the city's department takes a case that names no county,
   * because it runs the matter city-wide (medical and social insurance, identity documents,
   * petitions). Without it, such a case waits for the centre to ask where, as a street light does:
   * the city's 城管局 cannot act on a stall "downstairs".
   */
  readonly cityWide?: boolean;
  /**
   * For a county department's matter: the township takes a case in a town or township (镇, 乡)
   * rather than a subdistrict (街道), as it does a village's stray dogs, roads and market-day
   * stalls; the department keeps the cases of the subdistricts and the county town.
   */
  readonly ruralTownship?: boolean;
}

/** How sure the catalogue must be before it dispatches on its own. */
export interface CatalogueThresholds {
  /** The least score a matter needs. */
  readonly minScore: number;
  /** How far the best unit must lead the next-best unit. */
  readonly margin: number;
  /**
   * How many times the next-best unit's score the best one's must be: two units both named by
   * identifying words is a case for the centre, however long the words (a misroute costs days, the
   * manual queue minutes).
   */
  readonly ratio: number;
}

export const DEFAULT_CATALOGUE_THRESHOLDS: CatalogueThresholds = { minScore: 0.8, margin: 0.5, ratio: 1.3 };

/** Options of compileCatalogue. */
export interface CatalogueOptions {
  readonly thresholds?: CatalogueThresholds;
  /** How specific a word is in general text (an IDF); jieba's table by default. */
  readonly specificity?: (word: string) => number;
  /** The classifier of the matters' typical wordings (catalogueWordings), asked when the words are not sure. */
  readonly wordings?: LearnedRouting;
}

const CONTEXT_WEIGHT = 0.4;

interface WordOwner {
  readonly matter: number;
  readonly weight: number;
}

/** A catalogue prepared for scoring: for each word, the matters it names or excludes. */
export interface CompiledCatalogue {
  readonly matters: readonly Matter[];
  readonly words: ReadonlyMap<string, readonly WordOwner[]>;
  readonly exclusions: ReadonlyMap<string, readonly number[]>;
  readonly thresholds: CatalogueThresholds;
  /** Every word and exclusion, for matching whole tokens. */
  readonly index: KeywordIndex;
  readonly wordings?: LearnedRouting;
}

/** A matter the case's words point to, with the words that did. */
export interface MatterScore {
  readonly matter: Matter;
  readonly score: number;
  readonly words: readonly string[];
}

type Path = string;

function fail(path: Path, message: string): never {
  throw new Error(`catalogue ${path}: ${message}`);
}

function words(value: unknown, path: Path, required: boolean): string[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value) || (required && value.length === 0)) fail(path, 'must be a non-empty array of words');
  return value.map((word, i) => {
    if (typeof word !== 'string' || word.trim() === '' || /\s/.test(word)) fail(`${path}[${i}]`, 'must be one word without spaces');
    return normalizeText(word);
  });
}

/**
 * The owner as the files write it: a department slug of the case's county ("renshe"), the
 * case's township ("township"), its county ("county"), or a fixed unit ("unit:3713-gongjijin").
 */
export function parseOwner(owner: unknown, path: Path): RuleTarget {
  if (typeof owner !== 'string' || owner === '') fail(path, 'must be a slug, "township", "county" or "unit:<code>"');
  if (owner === 'township' || owner === 'county') return { kind: 'territorial', level: owner };
  if (owner.startsWith('unit:')) return { kind: 'unit', unitCode: owner.slice('unit:'.length) };
  if (!/^[a-z][a-z0-9]*$/.test(owner)) fail(path, `"${owner}" is not a department slug`);
  return { kind: 'territorial', departmentSlug: owner };
}

/** Checks one matter read from a file and returns it typed; throws naming the first bad field. */
export function parseMatter(value: unknown, where: string): Matter {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'must be an object');
  const raw = value as Record<string, unknown>;
  if (typeof raw.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(raw.id)) fail(`${where}.id`, 'must be a lower-case id');
  const path = `${where} "${raw.id}"`;
  if (typeof raw.name !== 'string' || raw.name.trim() === '') fail(`${path}.name`, 'must be a non-empty string');
  const listed = words(raw.words, `${path}.words`, true);
  const target = parseOwner(raw.owner, `${path}.owner`);
  return {
    id: raw.id,
    name: raw.name,
    target,
    words: listed.filter((word) => !word.startsWith('~')),
    contextWords: listed.filter((word) => word.startsWith('~')).map((word) => word.slice(1)),
    exclusions: words(raw.exclusions, `${path}.exclusions`, false),
    ...(raw.withoutTownship === undefined ? {} : { withoutTownship: parseWithoutTownship(raw.withoutTownship, target, `${path}.withoutTownship`) }),
    ...(raw.cityWide === undefined ? {} : { cityWide: parseDepartmentFlag(raw.cityWide, target, `${path}.cityWide`) }),
    ...(raw.ruralTownship === undefined ? {} : { ruralTownship: parseDepartmentFlag(raw.ruralTownship, target, `${path}.ruralTownship`) }),
  };
}

/** A flag that only a county department's matter may carry (`cityWide`, `ruralTownship`). */
function parseDepartmentFlag(value: unknown, owner: RuleTarget, path: Path): boolean {
  if (typeof value !== 'boolean') fail(path, 'must be true or false');
  if (owner.kind !== 'territorial' || owner.departmentSlug === undefined) fail(path, "is only for a matter a county's department owns");
  return value;
}

function parseWithoutTownship(value: unknown, owner: RuleTarget, path: Path): RuleTarget {
  if (owner.kind !== 'territorial' || owner.departmentSlug !== undefined || (owner.level ?? 'township') !== 'township') fail(path, 'is only for a matter the township owns');
  const target = parseOwner(value, path);
  if (target.kind !== 'territorial' || target.departmentSlug === undefined) fail(path, 'must be a department slug');
  return target;
}

// A longer wording says more than a two-character word that many texts hold in passing.
function lengthWeight(word: string): number {
  return Math.min(3, 1 + ([...word].length - 2) * 0.5);
}

// The IDF at which a word weighs as its length alone says, and how far specificity may move that:
// 高速 (IDF 6.6) is said of many things and weighs less than 低保 (10.4), which names its matter.
const REFERENCE_IDF = 9;
const LEAST_SPECIFICITY = 0.8;
const MOST_SPECIFICITY = 1.25;

function wordWeight(word: string, specificity: (word: string) => number): number {
  const factor = Math.min(MOST_SPECIFICITY, Math.max(LEAST_SPECIFICITY, specificity(word) / REFERENCE_IDF));
  return lengthWeight(word) * factor;
}

/**
 * Indexes the catalogue. A word weighs by its length and how specific it is in general text; a
 * word several matters share counts for each of them in proportion.
 */
export function compileCatalogue(matters: readonly Matter[], options: CatalogueOptions = {}): CompiledCatalogue {
  const thresholds = options.thresholds ?? DEFAULT_CATALOGUE_THRESHOLDS;
  const specificity = options.specificity ?? jiebaIdf();
  const ids = new Set<string>();
  const sharing = new Map<string, number>();
  for (const matter of matters) {
    if (ids.has(matter.id)) throw new Error(`catalogue matter id "${matter.id}" is used twice`);
    ids.add(matter.id);
    for (const word of new Set([...matter.words, ...matter.contextWords])) sharing.set(word, (sharing.get(word) ?? 0) + 1);
  }
  const byWord = new Map<string, WordOwner[]>();
  const exclusions = new Map<string, number[]>();
  matters.forEach((matter, index) => {
    const add = (word: string, weight: number): void => {
      const owners = byWord.get(word) ?? [];
      owners.push({ matter: index, weight: weight / (sharing.get(word) ?? 1) });
      byWord.set(word, owners);
    };
    for (const word of new Set(matter.words)) add(word, wordWeight(word, specificity));
    for (const word of new Set(matter.contextWords)) add(word, CONTEXT_WEIGHT);
    for (const word of new Set(matter.exclusions)) exclusions.set(word, [...(exclusions.get(word) ?? []), index]);
  });
  const index = buildKeywordIndex([...byWord.keys(), ...exclusions.keys()]);
  return { matters, words: byWord, exclusions, thresholds, index, ...(options.wordings ? { wordings: options.wordings } : {}) };
}

/** Every word and exclusion of the catalogue: the segmenter is taught them as words. */
export function catalogueVocabulary(catalogue: CompiledCatalogue): string[] {
  return [...catalogue.index.words];
}

/** Drops words that are part of a longer found word: 垃圾 inside 垃圾桶 is one mention, not two. */
function outermost(found: readonly string[]): string[] {
  return found.filter((word) => !found.some((other) => other !== word && other.includes(word)));
}

/** The matters the found words name, best first; excluded matters are left out. */
export function scoreMatters(catalogue: CompiledCatalogue, found: ReadonlySet<string>): MatterScore[] {
  const excluded = new Set<number>();
  const hits = new Map<number, string[]>();
  for (const word of found) {
    for (const index of catalogue.exclusions.get(word) ?? []) excluded.add(index);
    for (const owner of catalogue.words.get(word) ?? []) hits.set(owner.matter, [...(hits.get(owner.matter) ?? []), word]);
  }
  const scores: MatterScore[] = [];
  for (const [index, matched] of hits) {
    if (excluded.has(index)) continue;
    const kept = outermost(matched).sort();
    let score = 0;
    for (const word of kept) score += catalogue.words.get(word)?.find((owner) => owner.matter === index)?.weight ?? 0;
    const matter = catalogue.matters[index];
    if (matter) scores.push({ matter, score, words: kept });
  }
  return scores.sort((a, b) => b.score - a.score || (a.matter.id < b.matter.id ? -1 : 1));
}
