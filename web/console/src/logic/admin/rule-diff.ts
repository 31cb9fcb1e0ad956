import { CHANNEL_LABELS, TYPE_LABELS, URGENCY_LABELS } from '../labels.js';
import { departmentName } from './departments.js';

/** A routing rule as GET /api/routing-rules and the revisions give it. */
export interface RuleData {
  readonly id: string;
  readonly name: string;
  readonly priority: number;
  readonly enabled: boolean;
  readonly conditions: {
    readonly divisionPrefixes?: readonly string[];
    readonly types?: readonly string[];
    readonly categories?: readonly string[];
    readonly channels?: readonly string[];
    readonly urgencies?: readonly string[];
    readonly keywords?: { readonly anyOf?: readonly string[]; readonly allOf?: readonly string[]; readonly noneOf?: readonly string[] };
  };
  readonly target: { readonly kind: 'unit'; readonly unitCode: string } | { readonly kind: 'territorial'; readonly level?: 'township' | 'county'; readonly departmentSlug?: string };
}

/** One field of a rule as people read it: a single value or a list of items. */
export interface RuleField {
  readonly label: string;
  readonly items: readonly string[];
  /** A list field compares item by item; a scalar field shows before and after. */
  readonly list: boolean;
}

/** One changed field between two versions of a rule. */
export interface FieldChange {
  readonly label: string;
  readonly before: string;
  readonly after: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

const labelled = (labels: Readonly<Record<string, string>>, values: readonly string[] | undefined): string[] => (values ?? []).map((v) => labels[v] ?? v);

/** Where a rule sends its cases, in words. */
export function describeTarget(target: RuleData['target'], unitName: (code: string) => string): string {
  if (target.kind === 'unit') return `固定单位：${unitName(target.unitCode)}`;
  const level = target.level === 'county' ? '县区' : '乡镇街道（无则县区）';
  return `属地：${level}${target.departmentSlug ? `的${departmentName(target.departmentSlug)}` : ''}`;
}

/** A rule's fields in a fixed order, each labelled, for display and comparison. */
export function ruleFields(rule: RuleData, unitName: (code: string) => string): RuleField[] {
  const c = rule.conditions;
  const scalar = (label: string, value: string): RuleField => ({ label, items: [value], list: false });
  const list = (label: string, items: string[]): RuleField => ({ label, items, list: true });
  return [
    scalar('名称', rule.name),
    scalar('优先级', String(rule.priority)),
    scalar('状态', rule.enabled ? '启用' : '停用'),
    list('地区编码前缀', [...(c.divisionPrefixes ?? [])]),
    list('诉求类型', labelled(TYPE_LABELS, c.types)),
    list('类别', [...(c.categories ?? [])]),
    list('来源渠道', labelled(CHANNEL_LABELS, c.channels)),
    list('紧急程度', labelled(URGENCY_LABELS, c.urgencies)),
    list('包含任一关键词', [...(c.keywords?.anyOf ?? [])]),
    list('须全部包含', [...(c.keywords?.allOf ?? [])]),
    list('排除关键词', [...(c.keywords?.noneOf ?? [])]),
    scalar('派往', describeTarget(rule.target, unitName)),
  ];
}

const shown = (field: RuleField | undefined): string => (field ? (field.list ? field.items.join('、') : (field.items[0] ?? '')) || '（无）' : '（无）');

/**
 * The fields that differ between two versions of a rule (null: the rule did not exist on that side),
 * with the items a list that had items before and after gained and lost ("类型 +投诉 −建议").
 */
export function diffRules(before: RuleData | null, after: RuleData | null, unitName: (code: string) => string): FieldChange[] {
  const old = before ? ruleFields(before, unitName) : [];
  const now = after ? ruleFields(after, unitName) : [];
  const labels = (now.length ? now : old).map((f) => f.label);
  const changes: FieldChange[] = [];
  for (const label of labels) {
    const a = old.find((f) => f.label === label);
    const b = now.find((f) => f.label === label);
    const beforeItems = a?.items ?? [];
    const afterItems = b?.items ?? [];
    if (beforeItems.length === afterItems.length && beforeItems.every((item, i) => item === afterItems[i])) continue;
    // Items gained and lost tell something only when the list had items on both sides.
    const itemised = ((a ?? b)?.list ?? false) && beforeItems.length > 0 && afterItems.length > 0;
    changes.push({
      label,
      before: shown(a),
      after: shown(b),
      added: itemised ? afterItems.filter((item) => !beforeItems.includes(item)) : [],
      removed: itemised ? beforeItems.filter((item) => !afterItems.includes(item)) : [],
    });
  }
  return changes;
}

/** A rule's conditions in one line ("诉求类型：投诉；包含任一关键词：供暖"), or 不限 when it has none. */
export function summariseConditions(rule: RuleData, unitName: (code: string) => string): string {
  const parts = ruleFields(rule, unitName)
    .filter((f) => f.list && f.items.length)
    .map((f) => `${f.label}：${f.items.join('、')}`);
  return parts.join('；') || '不限（所有诉求）';
}
