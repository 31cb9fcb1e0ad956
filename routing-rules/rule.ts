import { CASE_TYPES, CHANNELS, URGENCIES, type CaseType, type Channel, type Urgency } from '../models/cases/case.js';

/** Keyword conditions, matched on the jieba tokens of the case's title and content. */
export interface KeywordConditions {
  readonly anyOf?: readonly string[];
  readonly allOf?: readonly string[];
  readonly noneOf?: readonly string[];
}

/** What a case must look like for a rule to take it; every condition present must hold. */
export interface RuleConditions {
  /** County or township code prefixes the case's division must start with. */
  readonly divisionPrefixes?: readonly string[];
  readonly types?: readonly CaseType[];
  readonly categories?: readonly string[];
  readonly channels?: readonly Channel[];
  readonly urgencies?: readonly Urgency[];
  readonly keywords?: KeywordConditions;
}

/** A fixed unit, or the unit of the case's location (optionally that level's department `slug`). */
export type RuleTarget =
  | { readonly kind: 'unit'; readonly unitCode: string }
  | {
      readonly kind: 'territorial';
      /** Where to start looking: township (default) falls back to county, then city. */
      readonly level?: 'township' | 'county';
      /** Route to `<countyCode>-<slug>` of the case's county, or `<cityCode>-<slug>` without one. */
      readonly departmentSlug?: string;
    };

/** A routing rule as data: loaded from `routing-rules/defaults/`, then edited through the API. */
export interface RoutingRule {
  readonly id: string;
  readonly name: string;
  /** Higher runs first; ties are broken by id. */
  readonly priority: number;
  readonly enabled: boolean;
  readonly conditions: RuleConditions;
  readonly target: RuleTarget;
}

/** The case as the engine sees it: a case being taken in, or the body of a simulation. */
export interface RoutingCaseInput {
  readonly type: CaseType;
  readonly category?: string | null;
  readonly channel: Channel;
  readonly urgency: Urgency;
  readonly title?: string | null;
  readonly content: string;
  /** Township or county code, or null when the location is unknown. */
  readonly divisionCode: string | null;
  /** Derived from `divisionCode` when absent. */
  readonly countyCode?: string | null;
  readonly townshipCode?: string | null;
}

type Path = string;

function fail(path: Path, message: string): never {
  throw new Error(`routing rule ${path}: ${message}`);
}

function record(value: unknown, path: Path): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object');
  return value as Record<string, unknown>;
}

function text(value: unknown, path: Path): string {
  if (typeof value !== 'string' || value.trim() === '') fail(path, 'must be a non-empty string');
  return value;
}

function optionalList<T extends string>(value: unknown, path: Path, allowed?: readonly T[]): T[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) fail(path, 'must be a non-empty array');
  return value.map((item, i) => {
    const entry = text(item, `${path}[${i}]`);
    if (allowed && !(allowed as readonly string[]).includes(entry)) fail(`${path}[${i}]`, `unknown value "${entry}"`);
    return entry as T;
  });
}

/** Drops absent fields, so a parsed rule equals the JSON it came from. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function parseKeywords(value: unknown, path: Path): KeywordConditions | undefined {
  if (value === undefined) return undefined;
  const raw = record(value, path);
  return defined({
    anyOf: optionalList(raw.anyOf, `${path}.anyOf`),
    allOf: optionalList(raw.allOf, `${path}.allOf`),
    noneOf: optionalList(raw.noneOf, `${path}.noneOf`),
  });
}

function parseConditions(value: unknown, path: Path): RuleConditions {
  const raw = record(value, path);
  return defined({
    divisionPrefixes: optionalList(raw.divisionPrefixes, `${path}.divisionPrefixes`),
    types: optionalList(raw.types, `${path}.types`, CASE_TYPES),
    categories: optionalList(raw.categories, `${path}.categories`),
    channels: optionalList(raw.channels, `${path}.channels`, CHANNELS),
    urgencies: optionalList(raw.urgencies, `${path}.urgencies`, URGENCIES),
    keywords: parseKeywords(raw.keywords, `${path}.keywords`),
  });
}

function parseTarget(value: unknown, path: Path): RuleTarget {
  const raw = record(value, path);
  if (raw.kind === 'unit') return { kind: 'unit', unitCode: text(raw.unitCode, `${path}.unitCode`) };
  if (raw.kind !== 'territorial') fail(`${path}.kind`, 'must be "unit" or "territorial"');
  if (raw.level !== undefined && raw.level !== 'township' && raw.level !== 'county') {
    fail(`${path}.level`, 'must be "township" or "county"');
  }
  const departmentSlug = raw.departmentSlug === undefined ? undefined : text(raw.departmentSlug, `${path}.departmentSlug`);
  return defined({ kind: 'territorial', level: raw.level, departmentSlug });
}

/** Checks a rule read from a file and returns it typed; throws naming the first bad field. */
export function parseRoutingRule(value: unknown, where = 'rule'): RoutingRule {
  const raw = record(value, where);
  const id = text(raw.id, `${where}.id`);
  const path = `${where} "${id}"`;
  if (typeof raw.priority !== 'number' || !Number.isFinite(raw.priority)) fail(`${path}.priority`, 'must be a number');
  if (typeof raw.enabled !== 'boolean') fail(`${path}.enabled`, 'must be true or false');
  return {
    id,
    name: text(raw.name, `${path}.name`),
    priority: raw.priority,
    enabled: raw.enabled,
    conditions: parseConditions(raw.conditions, `${path}.conditions`),
    target: parseTarget(raw.target, `${path}.target`),
  };
}
