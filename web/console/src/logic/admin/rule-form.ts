import type { RuleData } from './rule-diff.js';
import { errorsByField, type ValidationDetail } from './validation-words.js';

/** The rule editor's fields: lists typed as text (separated by spaces, commas or 、). */
export interface RuleForm {
  id: string;
  name: string;
  priority: number;
  enabled: boolean;
  divisionPrefixes: string;
  types: string[];
  categories: string;
  channels: string[];
  urgencies: string[];
  anyOf: string;
  allOf: string;
  noneOf: string;
  targetKind: 'unit' | 'territorial';
  unitCode: string;
  level: 'township' | 'county';
  departmentSlug: string;
}
export type RuleFormField = keyof RuleForm;

/** An empty form for a new rule. */
export function emptyRuleForm(): RuleForm {
  return { id: '', name: '', priority: 100, enabled: true, divisionPrefixes: '', types: [], categories: '', channels: [], urgencies: [], anyOf: '', allOf: '', noneOf: '', targetKind: 'unit', unitCode: '', level: 'township', departmentSlug: '' };
}

const joined = (items: readonly string[] | undefined): string => (items ?? []).join(' ');

/** The form showing an existing rule. */
export function ruleToForm(rule: RuleData): RuleForm {
  const c = rule.conditions;
  const t = rule.target;
  return {
    id: rule.id,
    name: rule.name,
    priority: rule.priority,
    enabled: rule.enabled,
    divisionPrefixes: joined(c.divisionPrefixes),
    types: [...(c.types ?? [])],
    categories: joined(c.categories),
    channels: [...(c.channels ?? [])],
    urgencies: [...(c.urgencies ?? [])],
    anyOf: joined(c.keywords?.anyOf),
    allOf: joined(c.keywords?.allOf),
    noneOf: joined(c.keywords?.noneOf),
    targetKind: t.kind,
    unitCode: t.kind === 'unit' ? t.unitCode : '',
    level: t.kind === 'territorial' ? (t.level ?? 'township') : 'township',
    departmentSlug: t.kind === 'territorial' ? (t.departmentSlug ?? '') : '',
  };
}

/** A typed list split into its items: spaces, commas (either width) and 、 separate; repeats dropped. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[\s,，、;；]+/).filter(Boolean))];
}

const some = <T>(items: T[]): T[] | undefined => (items.length ? items : undefined);

/** The body of POST/PUT /api/routing-rules: empty conditions are left out, as the API wants lists of at least one. */
export function formToBody(form: RuleForm): Omit<RuleData, 'id'> & { id?: string } {
  const keywords = { anyOf: some(splitList(form.anyOf)), allOf: some(splitList(form.allOf)), noneOf: some(splitList(form.noneOf)) };
  const conditions = {
    divisionPrefixes: some(splitList(form.divisionPrefixes)),
    types: some([...form.types]),
    categories: some(splitList(form.categories)),
    channels: some([...form.channels]),
    urgencies: some([...form.urgencies]),
    keywords: keywords.anyOf || keywords.allOf || keywords.noneOf ? JSON.parse(JSON.stringify(keywords)) : undefined,
  };
  const target: RuleData['target'] =
    form.targetKind === 'unit'
      ? { kind: 'unit', unitCode: form.unitCode }
      : { kind: 'territorial', level: form.level, ...(form.departmentSlug ? { departmentSlug: form.departmentSlug } : {}) };
  return { id: form.id || undefined, name: form.name.trim(), priority: form.priority, enabled: form.enabled, conditions: JSON.parse(JSON.stringify(conditions)), target };
}

// The form field each body path of a 400 belongs to.
const FIELD_OF_PATH: readonly [RegExp, RuleFormField][] = [
  [/^body\.id\b/, 'id'],
  [/^body\.name\b/, 'name'],
  [/^body\.priority\b/, 'priority'],
  [/^body\.enabled\b/, 'enabled'],
  [/^body\.conditions\.divisionPrefixes\b/, 'divisionPrefixes'],
  [/^body\.conditions\.types\b/, 'types'],
  [/^body\.conditions\.categories\b/, 'categories'],
  [/^body\.conditions\.channels\b/, 'channels'],
  [/^body\.conditions\.urgencies\b/, 'urgencies'],
  [/^body\.conditions\.keywords\.anyOf\b/, 'anyOf'],
  [/^body\.conditions\.keywords\.allOf\b/, 'allOf'],
  [/^body\.conditions\.keywords\.noneOf\b/, 'noneOf'],
  [/^body\.target\.unitCode\b/, 'unitCode'],
  [/^body\.target\.level\b/, 'level'],
  [/^body\.target\.departmentSlug\b/, 'departmentSlug'],
  [/^body\.target\b/, 'targetKind'],
];

// Messages a field needs beyond the type, where the format itself must be told.
const HINT_OF_FIELD: Partial<Record<RuleFormField, string>> = {
  id: '（小写字母、数字和 . _ -，以字母或数字开头）',
  divisionPrefixes: '（每项为 4 到 9 位数字的区划编码前缀）',
};

/** A 400's details in words, by the form field they belong to (details with no field go under ''). */
export function ruleFieldErrors(details: readonly ValidationDetail[]): Partial<Record<RuleFormField | '', string>> {
  const fieldOf = (path: string): RuleFormField | '' => FIELD_OF_PATH.find(([pattern]) => pattern.test(path))?.[1] ?? '';
  const hinted = details.map((d) => {
    const field = fieldOf(d.path);
    const hint = field && d.type?.startsWith('string.pattern') ? HINT_OF_FIELD[field] : undefined;
    return hint ? { ...d, message: `格式不正确${hint}`, type: undefined } : d;
  });
  return errorsByField(hinted, fieldOf);
}
