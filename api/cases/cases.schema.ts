import Joi from 'joi';
import { CASE_TYPES, CHANNELS, OPERATOR_CHANNELS, STATUSES, URGENCIES, type CaseStatus, type CaseType, type Channel, type Urgency } from '../../models/cases/case.js';
import { phone, text, unitCode } from '../http/common.schema.js';
import { CASE_SORT_KEYS, type CasePosition, type CaseSort, type CaseSortKey } from '../../models/cases/case-query.js';

export const citizenSchema = Joi.object({
  name: text(50),
  phone,
  email: Joi.string().trim().email({ tlds: false }).max(254),
});

export interface IntakeBody {
  channel: (typeof OPERATOR_CHANNELS)[number];
  type: CaseType;
  category?: string;
  title?: string;
  content: string;
  address?: string;
  divisionCode?: string;
  urgency?: Urgency;
  receivedAt?: Date;
  receivedAtReason?: string;
  externalId?: string;
  citizen: { name?: string; phone?: string; email?: string };
  dispatchTo?: string;
  resolution?: { kind: 'direct_answer'; answer: string; knowledgeIds: string[] };
  coUnits?: string[];
}

/** POST /api/cases: what an operator may set. Status, unit, deadlines and ids are never accepted. */
export const intakeBody = Joi.object<IntakeBody>({
  channel: Joi.string().valid(...OPERATOR_CHANNELS).required(),
  type: Joi.string().valid(...CASE_TYPES).required(),
  category: text(50),
  title: text(200),
  content: text(5000).min(2).required(),
  address: text(200),
  divisionCode: unitCode,
  urgency: Joi.string().valid(...URGENCIES),
  // A letter may have arrived earlier than it is entered, but nothing arrives from the future.
  receivedAt: Joi.date().iso().min('2000-01-01').max('now'),
  // Required by intake when receivedAt is more than 30 days back (assertReceivedAtReason).
  receivedAtReason: text(500).min(2),
  externalId: Joi.string().trim().max(128),
  citizen: citizenSchema.required(),
  // The operator overrides the routing preview: the case goes there as the operator's manual dispatch.
  dispatchTo: unitCode,
  // 协办: units beside the lead unit (the rules' or dispatchTo's), as a dispatch action takes them.
  coUnits: Joi.array().items(unitCode).max(10).unique(),
  // 当场答复: answered at the desk, so the case is closed at once and goes to no unit.
  resolution: Joi.object({
    kind: Joi.string().valid('direct_answer').required(),
    answer: text(5000).min(2).required(),
    knowledgeIds: Joi.array().items(Joi.string().guid()).max(10).unique().default([]),
  }),
}).oxor('dispatchTo', 'resolution');

export const idempotencyKey = Joi.string().trim().min(1).max(128).pattern(/^[\x21-\x7E]+$/, 'visible ASCII');

export interface ListCasesQuery {
  status?: CaseStatus[];
  unit?: string;
  unassigned?: boolean;
  channel?: Channel;
  type?: CaseType;
  division?: string;
  q?: string;
  phone?: string;
  overdue?: boolean;
  from?: Date;
  to?: Date;
  limit: number;
  sort: CaseSortKey;
  order: 'asc' | 'desc';
  cursor?: string;
}

export const listCasesQuery = Joi.object<ListCasesQuery>({
  // One status or a comma-separated list: ?status=dispatched,in_progress
  status: Joi.string()
    .max(200)
    .custom((value: string, helpers) => {
      const parts = value.split(',');
      return parts.every((p) => (STATUSES as readonly string[]).includes(p)) ? parts : helpers.error('any.only');
    })
    .messages({ 'any.only': `status must be one or more of ${STATUSES.join(', ')}` }),
  unit: unitCode,
  unassigned: Joi.boolean(),
  channel: Joi.string().valid(...CHANNELS),
  type: Joi.string().valid(...CASE_TYPES),
  division: Joi.string().pattern(/^\d{4,9}$/, 'division code prefix'),
  q: Joi.string().trim().min(1).max(100),
  // The caller's earlier cases: any written form of the number ('138-1234-5678', '+86 138…').
  phone,
  overdue: Joi.boolean(),
  from: Joi.date().iso(),
  to: Joi.date().iso(),
  limit: Joi.number().integer().min(1).max(200).default(50),
  // The server sorts and pages: a sorted table shows the first page of the whole list, not of one page.
  sort: Joi.string().valid(...CASE_SORT_KEYS).default('createdAt'),
  order: Joi.string().valid('asc', 'desc').default('desc'),
  cursor: Joi.string().max(200).pattern(/^[A-Za-z0-9_-]+$/),
});

/** Encodes a keyset position, with the order it belongs to, as an opaque cursor. */
export function encodeCursor(position: CasePosition): string {
  return Buffer.from(`${position.sort.key}|${position.sort.direction}|${position.value}|${position.id}`).toString('base64url');
}

/** Decodes a cursor made by encodeCursor for this order; undefined for anything else. */
export function decodeCursor(cursor: string, sort: CaseSort): CasePosition | undefined {
  const [key, direction, value, id, ...rest] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (rest.length || key !== sort.key || direction !== sort.direction || !id || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
  if (value !== 'infinity' && Number.isNaN(new Date(value ?? '').getTime())) return undefined;
  return { sort, value: value ?? 'infinity', id };
}

/** Catch-up after a disconnect: the timeline entries after the last event id the client saw (0: all). */
export const caseEventsQuery = Joi.object<{ after: number }>({ after: Joi.number().integer().min(0).max(Number.MAX_SAFE_INTEGER).default(0) });
