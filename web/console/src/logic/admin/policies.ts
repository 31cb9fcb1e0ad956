import { TYPE_LABELS, URGENCY_LABELS } from '../labels.js';
import { formatLimit, type Limit } from './labels.js';

/** A time-limit policy as GET /api/time-limit-policies gives it. */
export interface Policy {
  readonly id: string;
  readonly caseType: string;
  readonly urgency: string;
  readonly accept: Limit;
  readonly reply: Limit;
  readonly warnAt: number;
  readonly version?: number;
  readonly extension?: { readonly maxCount?: number; readonly maxTotal: Limit };
}

/** A policy's case type and urgency in words (`*`: 全部). */
export function policyScope(p: Pick<Policy, 'caseType' | 'urgency'>): { type: string; urgency: string } {
  return { type: p.caseType === '*' ? '全部类型' : (TYPE_LABELS[p.caseType as keyof typeof TYPE_LABELS] ?? p.caseType), urgency: p.urgency === '*' ? '全部' : (URGENCY_LABELS[p.urgency as keyof typeof URGENCY_LABELS] ?? p.urgency) };
}

/** The extension cap in words. */
export function describeExtension(p: Policy): string {
  if (!p.extension) return '经批准即可延期';
  const count = p.extension.maxCount ? `最多${p.extension.maxCount}次，` : '';
  return `${count}合计不超过${formatLimit(p.extension.maxTotal)}`;
}

/** The set as PUT /api/time-limit-policies takes it: without the stored version. */
export function policiesBody(policies: readonly Policy[]): { policies: Omit<Policy, 'version'>[] } {
  return { policies: policies.map(({ version: _version, ...rest }) => rest) };
}

/** Decision order as the API matches: the exact type and urgency first, then type only, urgency only, the fallback. */
export function byScope(a: Policy, b: Policy): number {
  const rank = (p: Policy): number => (p.caseType === '*' ? 2 : 0) + (p.urgency === '*' ? 1 : 0);
  return rank(a) - rank(b) || a.caseType.localeCompare(b.caseType) || a.urgency.localeCompare(b.urgency);
}
