import type { RoutingCaseInput, RuleConditions } from './rule.js';
import { normalizeText } from './segmenter.js';

/** What the conditions of every rule are checked against, worked out once per decision. */
export interface CaseFacts {
  readonly input: RoutingCaseInput;
  readonly divisionCode: string | null;
  /** The keywords of the whole rule set found in the case text, computed on first use. */
  readonly keywords: () => ReadonlySet<string>;
}

/** One compiled condition: a fast test and a sentence saying why it held or failed. */
export interface Check {
  /** False for noneOf: its holding says nothing about whether the case is the rule's kind. */
  readonly positive: boolean;
  readonly test: (facts: CaseFacts) => boolean;
  readonly describe: (facts: CaseFacts, held: boolean) => string;
}

const list = (values: readonly string[]): string => values.join('、');

function divisionCheck(prefixes: readonly string[]): Check {
  const within = (code: string | null): string | undefined =>
    code === null ? undefined : prefixes.find((prefix) => code.startsWith(prefix));
  return {
    positive: true,
    test: (facts) => within(facts.divisionCode) !== undefined,
    describe: ({ divisionCode }, held) => {
      if (held) return `division ${divisionCode ?? ''} within ${within(divisionCode) ?? ''}`;
      if (divisionCode === null) return `no division known (rule wants ${list(prefixes)})`;
      return `division ${divisionCode} not within ${list(prefixes)}`;
    },
  };
}

function memberCheck(label: string, values: readonly string[], read: (input: RoutingCaseInput) => string | null | undefined): Check {
  const allowed = new Set(values);
  return {
    positive: true,
    test: ({ input }) => {
      const value = read(input);
      return value !== null && value !== undefined && allowed.has(value);
    },
    describe: ({ input }, held) =>
      held ? `${label} ${read(input) ?? ''}` : `${label} ${read(input) ?? 'none'} not in ${list(values)}`,
  };
}

/** Whether any word is in the found set, looping over the smaller side (a case has few keywords). */
function intersects(words: readonly string[], wordSet: ReadonlySet<string>, found: ReadonlySet<string>): boolean {
  if (found.size < words.length) {
    for (const word of found) if (wordSet.has(word)) return true;
    return false;
  }
  return words.some((word) => found.has(word));
}

function anyOfCheck(words: readonly string[]): Check {
  const wordSet = new Set(words);
  return {
    positive: true,
    test: ({ keywords }) => intersects(words, wordSet, keywords()),
    describe: ({ keywords }, held) =>
      held ? `keyword ${list(words.filter((w) => keywords().has(w)))}` : `none of the keywords ${list(words)}`,
  };
}

function allOfCheck(words: readonly string[]): Check {
  return {
    positive: true,
    test: ({ keywords }) => words.every((word) => keywords().has(word)),
    describe: ({ keywords }, held) =>
      held ? `all keywords ${list(words)}` : `missing keywords ${list(words.filter((w) => !keywords().has(w)))}`,
  };
}

function noneOfCheck(words: readonly string[]): Check {
  const wordSet = new Set(words);
  return {
    positive: false,
    test: ({ keywords }) => !intersects(words, wordSet, keywords()),
    describe: ({ keywords }, held) =>
      held ? `none of the excluded keywords ${list(words)}` : `excluded keyword ${list(words.filter((w) => keywords().has(w)))}`,
  };
}

/** The keywords a rule set needs, normalised as the case text will be. */
export function normalizeKeywords(words: readonly string[] | undefined): string[] | undefined {
  if (words === undefined) return undefined;
  const normalized = [...new Set(words.map((word) => normalizeText(word.trim())).filter((word) => word !== ''))];
  return normalized.length > 0 ? normalized : undefined;
}

const present = <T>(values: readonly T[] | undefined): values is readonly T[] => values !== undefined && values.length > 0;

/** Compiles the conditions of one rule, cheapest first; an empty list counts as no condition. */
export function compileChecks(conditions: RuleConditions): Check[] {
  const checks: Check[] = [];
  const { divisionPrefixes, types, categories, channels, urgencies, keywords } = conditions;
  if (present(types)) checks.push(memberCheck('type', types, (input) => input.type));
  if (present(channels)) checks.push(memberCheck('channel', channels, (input) => input.channel));
  if (present(urgencies)) checks.push(memberCheck('urgency', urgencies, (input) => input.urgency));
  if (present(categories)) checks.push(memberCheck('category', categories, (input) => input.category?.trim()));
  if (present(divisionPrefixes)) checks.push(divisionCheck(divisionPrefixes));
  const anyOf = normalizeKeywords(keywords?.anyOf);
  const allOf = normalizeKeywords(keywords?.allOf);
  const noneOf = normalizeKeywords(keywords?.noneOf);
  if (anyOf) checks.push(anyOfCheck(anyOf));
  if (allOf) checks.push(allOfCheck(allOf));
  if (noneOf) checks.push(noneOfCheck(noneOf));
  return checks;
}
