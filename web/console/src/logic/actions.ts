import { DISCLOSURE_GROUND_LABELS, DISCLOSURE_OUTCOME_LABELS, PROPER_CHANNEL_LABELS } from './labels.js';

/** What a dialog field holds: text, a number, or the codes of several units. */
export type FieldValue = string | number | readonly string[];

/** One input of an action's dialog. */
export interface ActionField {
  readonly key: string;
  readonly label: string;
  readonly kind: 'textarea' | 'number' | 'unit' | 'units' | 'select';
  readonly required: boolean;
  readonly options?: Readonly<Record<string, string>>;
  /** Shown only when another field has this value (the ground of a refusal). */
  readonly when?: { readonly key: string; readonly value: string };
  /** Units below the user's own (下派), rather than any unit. */
  readonly below?: boolean;
}

/** How an action appears on the case screen: its button, and the dialog fields it needs (none: taken at once). */
export interface ActionSpec {
  readonly label: string;
  readonly fields: readonly ActionField[];
  readonly primary?: boolean;
}

/** The citizen's three answers to a return visit or rating. */
export const SATISFACTION_LABELS = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' } as const;

/** Every staff action the state table knows, as the console offers it. */
export const ACTION_SPECS: Readonly<Record<string, ActionSpec>> = {
  accept: { label: '签收', fields: [], primary: true },
  // 《信访工作条例》 arts. 22-23: a petitions office accepts a petition or says where it belongs instead.
  accept_petition: { label: '受理', fields: [], primary: true },
  reject_petition: {
    label: '不予受理',
    fields: [
      { key: 'properChannel', label: '法定途径', kind: 'select', required: true, options: PROPER_CHANNEL_LABELS },
      { key: 'reason', label: '不予受理理由', kind: 'textarea', required: true },
    ],
  },
  forward: { label: '下派', fields: [{ key: 'unitCode', label: '下派单位', kind: 'unit', required: true, below: true }] },
  return: { label: '退回', fields: [{ key: 'reason', label: '退回理由', kind: 'textarea', required: true }] },
  request_extension: {
    label: '申请延期',
    fields: [
      { key: 'days', label: '延期天数', kind: 'number', required: true },
      { key: 'reason', label: '延期理由', kind: 'textarea', required: true },
    ],
  },
  reply: { label: '答复', fields: [{ key: 'reply', label: '答复内容', kind: 'textarea', required: true }], primary: true },
  request_amendment: { label: '通知补正', fields: [{ key: 'note', label: '补正内容', kind: 'textarea', required: true }] },
  amendment_received: { label: '已收到补正', fields: [] },
  assign: { label: '交办', fields: [{ key: 'unitCode', label: '交办单位', kind: 'unit', required: true }] },
  feedback: { label: '反馈办理情况', fields: [{ key: 'note', label: '办理情况', kind: 'textarea', required: true }] },
  dispatch: {
    label: '派单',
    fields: [
      { key: 'unitCode', label: '承办单位', kind: 'unit', required: true },
      // 协办: units that work beside the lead unit and see the case in their queues.
      { key: 'coUnits', label: '协办单位', kind: 'units', required: false },
    ],
    primary: true,
  },
  supervise: { label: '督办', fields: [{ key: 'note', label: '督办意见', kind: 'textarea', required: true }] },
  approve_extension: { label: '同意延期', fields: [] },
  reject_extension: { label: '驳回延期', fields: [{ key: 'reason', label: '驳回理由', kind: 'textarea', required: true }] },
  close: {
    label: '回访办结',
    fields: [
      { key: 'satisfaction', label: '回访满意度', kind: 'select', required: false, options: SATISFACTION_LABELS },
      { key: 'comment', label: '回访记录', kind: 'textarea', required: false },
    ],
  },
  // 回访 of a case answered at the desk: it stays closed, the rating is recorded.
  return_visit: {
    label: '回访',
    fields: [
      { key: 'satisfaction', label: '回访满意度', kind: 'select', required: true, options: SATISFACTION_LABELS },
      { key: 'comment', label: '回访记录', kind: 'textarea', required: false },
    ],
  },
  reopen: { label: '重办', fields: [{ key: 'reason', label: '重办理由', kind: 'textarea', required: true }] },
  // Issue 15: third-party consultation, jurisdiction disputes, rating appeals (docs/procedures.md).
  request_third_party_opinion: {
    label: '征求第三方意见',
    fields: [
      { key: 'party', label: '第三方名称', kind: 'textarea', required: true },
      { key: 'reason', label: '征求意见事由', kind: 'textarea', required: true },
    ],
  },
  third_party_opinion_received: {
    label: '录入第三方意见',
    fields: [
      { key: 'agreed', label: '第三方是否同意公开', kind: 'select', required: true, options: { true: '同意', false: '不同意' } },
      { key: 'note', label: '第三方意见', kind: 'textarea', required: false },
    ],
  },
  // Art. 32: the third party's 15 working days passed without its view; the office decides without it.
  third_party_no_answer: { label: '第三方逾期未答复，继续办理', fields: [{ key: 'note', label: '情况说明', kind: 'textarea', required: false }] },
  dispute_dispatch: {
    label: '管辖异议',
    fields: [
      { key: 'reason', label: '异议理由', kind: 'textarea', required: true },
      { key: 'suggestedUnitCode', label: '建议承办单位', kind: 'unit', required: false },
    ],
  },
  arbitrate_dispute: {
    label: '争议仲裁',
    fields: [
      { key: 'unitCode', label: '确定承办单位', kind: 'unit', required: true },
      { key: 'reason', label: '仲裁理由', kind: 'textarea', required: true },
    ],
  },
  appeal_rating: { label: '申请不满意甄别', fields: [{ key: 'reason', label: '甄别理由', kind: 'textarea', required: true }] },
  decide_rating_appeal: {
    label: '甄别决定',
    fields: [
      { key: 'upheld', label: '甄别是否成立', kind: 'select', required: true, options: { true: '成立（不计入满意率）', false: '不成立' } },
      { key: 'reason', label: '决定理由', kind: 'textarea', required: true },
    ],
  },
  supplement: { label: '追加诉求', fields: [{ key: 'content', label: '追加内容', kind: 'textarea', required: true }] },
};

/** A disclosure request's reply also records the statutory outcome, and for a refusal its ground and basis. */
export const DISCLOSURE_REPLY_FIELDS: readonly ActionField[] = [
  { key: 'outcome', label: '答复结果', kind: 'select', required: true, options: DISCLOSURE_OUTCOME_LABELS },
  { key: 'ground', label: '不予公开理由', kind: 'select', required: true, options: DISCLOSURE_GROUND_LABELS, when: { key: 'outcome', value: 'not_disclosed' } },
  { key: 'legalBasis', label: '法律依据', kind: 'textarea', required: false, when: { key: 'outcome', value: 'not_disclosed' } },
  // Needed only when disclosing against a third party's view; the API says so when it is missing.
  { key: 'publicInterest', label: '公共利益理由', kind: 'textarea', required: false, when: { key: 'outcome', value: 'disclosed' } },
];

/** The dialog's fields for an action on a case of this type. */
export function fieldsFor(action: string, caseType: string): readonly ActionField[] {
  const base = ACTION_SPECS[action]?.fields ?? [];
  return action === 'reply' && caseType === 'disclosure' ? [...base, ...DISCLOSURE_REPLY_FIELDS] : base;
}

/** The button's words: 派单 for a case nobody has yet, 改派 for one a unit holds. */
export function actionLabel(action: string, status: string): string {
  if (action === 'dispatch' && (status === 'dispatched' || status === 'in_progress')) return '改派';
  return ACTION_SPECS[action]?.label ?? action;
}

/** The body of POST /api/cases/{id}/actions from the dialog's values: blank optional fields and hidden ones left out. */
export function actionBody(action: string, fields: readonly ActionField[], values: Readonly<Record<string, FieldValue>>, version: number): Record<string, unknown> {
  const body: Record<string, unknown> = { action, expectedVersion: version };
  for (const field of fields) {
    if (field.when && values[field.when.key] !== field.when.value) continue;
    const value = values[field.key];
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    body[field.key] = typeof value === 'string' ? value.trim() : value;
  }
  return body;
}

/** The first required field left empty, in words; null when the dialog may be sent. */
export function missingField(fields: readonly ActionField[], values: Readonly<Record<string, FieldValue>>): string | null {
  for (const field of fields) {
    if (!field.required || (field.when && values[field.when.key] !== field.when.value)) continue;
    const value = values[field.key];
    if (value === undefined || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0)) return `请填写${field.label}。`;
  }
  return null;
}
