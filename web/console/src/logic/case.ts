import type { ProcedureState } from '../../../../models/procedures/procedure-state.js';
import { titleFrom } from './intake-form.js';

/** A case as GET /api/cases and GET /api/cases/{id} answer it (the fields the console reads). */
export interface CaseView {
  readonly id: string;
  readonly caseNo: string;
  readonly queryCode?: string;
  readonly channel: string;
  readonly channelLabel: string;
  readonly type: string;
  readonly typeLabel: string;
  readonly title: string | null;
  readonly content: string;
  readonly address: string | null;
  readonly divisionCode: string | null;
  readonly citizen: { name?: string; phone?: string; email?: string };
  readonly urgency: string;
  readonly status: string;
  readonly statusLabel: string;
  readonly assignedUnit: { code: string; name: string } | null;
  readonly coUnits: readonly string[];
  readonly deadlines: {
    readonly acceptBy: string | null;
    readonly replyBy: string | null;
    readonly acceptWarnAt: string | null;
    readonly replyWarnAt: string | null;
    readonly paused: boolean;
    readonly pausedAt: string | null;
    readonly arbitrateBy: string | null;
    readonly thirdPartyAnswerBy: string | null;
    readonly thirdPartyOverdue: boolean;
    readonly thirdPartyProvisional: boolean;
    readonly arbitrateProvisional: boolean;
    readonly pendingExtension: { days?: number; reason?: string } | null;
  };
  readonly workingDaysLeft: { readonly accept: number | null; readonly reply: number | null };
  readonly reply: string | null;
  /** Petitions only: the office's decision, the reviews asked, a concluded matter (docs/procedures.md). */
  readonly petition?: {
    readonly decisionLabel: string;
    readonly properChannelLabel: string | null;
    readonly reviewLevel: number;
    readonly reviewLabel: string | null;
    readonly concluded: boolean;
    readonly repeatsConcluded: boolean;
  } | null;
  /** Third-party consultation, jurisdiction dispute, rating appeal (docs/procedures.md), as the API's model has them. */
  readonly procedures: ProcedureState;
  readonly receivedAt: string;
  readonly createdAt: string;
  readonly supervised: boolean;
  readonly version: number;
  readonly allowedActions?: readonly string[];
  readonly events?: readonly CaseEventView[];
}

/** What a list shows for a case: its title, or the start of its content when it was taken without one. */
export function caseHeadline(c: Pick<CaseView, 'title' | 'content'>): string {
  return c.title?.trim() || titleFrom(c.content);
}

export interface CaseEventView {
  readonly id: number;
  readonly action: string;
  readonly toStatus: string;
  readonly actor: { role: string; unitCode: string | null };
  readonly unitCode: string | null;
  readonly note: string | null;
  readonly data: Record<string, unknown>;
  readonly at: string;
}

/** A petition's procedure in one line: decision, channel of a matter not accepted, reviews, conclusion, repetition. */
export function petitionSummary(petition: NonNullable<CaseView['petition']>): string {
  return [
    petition.decisionLabel,
    petition.properChannelLabel ? `法定途径：${petition.properChannelLabel}` : null,
    petition.reviewLevel > 0 ? `已申请${petition.reviewLabel}` : null,
    petition.concluded ? '已终结' : null,
    petition.repeatsConcluded ? '重复信访：与已终结事项相同' : null,
  ].filter(Boolean).join('；');
}

/** The workbench's tabs and the statuses each lists. */
export const QUEUE_TABS = [
  { name: 'todo', label: '待签收', status: 'dispatched' },
  { name: 'working', label: '办理中', status: 'in_progress' },
  { name: 'replied', label: '已答复', status: 'replied' },
  { name: 'manual', label: '待派单', status: 'registered,returned', centreOnly: true },
  { name: 'all', label: '全部', status: '' },
] as const;

export type QueueTab = (typeof QUEUE_TABS)[number]['name'];

/** Whether a case in `status` belongs on the tab (a live event may move it off). */
export function belongsToTab(tab: QueueTab, status: string): boolean {
  const statuses = QUEUE_TABS.find((t) => t.name === tab)?.status ?? '';
  return statuses === '' || statuses.split(',').includes(status);
}

/** The list's order as GET /api/cases takes it (`sort`, `order`). */
export interface QueueSort {
  readonly key: 'createdAt' | 'receivedAt' | 'acceptBy' | 'replyBy';
  readonly order: 'asc' | 'desc';
}

export const NEWEST_FIRST: QueueSort = { key: 'createdAt', order: 'desc' };

/**
 * The order a table header click asks for (Element Plus: the column's prop and ascending,
 * descending or null); clearing a column's sort goes back to newest first.
 */
export function sortFromTable(prop: string | null, order: 'ascending' | 'descending' | null): QueueSort {
  if (!order || (prop !== 'receivedAt' && prop !== 'acceptBy' && prop !== 'replyBy')) return NEWEST_FIRST;
  return { key: prop, order: order === 'ascending' ? 'asc' : 'desc' };
}

/** The `sort` and `order` parameters of the list request; none for the API's own default. */
export function sortParams(sort: QueueSort): { sort?: string; order?: string } {
  return sort.key === NEWEST_FIRST.key && sort.order === NEWEST_FIRST.order ? {} : { sort: sort.key, order: sort.order };
}
