import Joi from 'joi';
import { CASE_TYPES, CHANNELS, URGENCIES } from '../../models/cases/case.js';
import { DEPARTMENTS } from '../../models/org/seed/departments.js';
import type { RoutingRule } from '../../routing-rules/rule.js';
import { citizenSchema } from '../cases/cases.schema.js';
import { text, unitCode } from '../http/common.schema.js';

const ruleId = Joi.string().pattern(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'rule id (lowercase letters, digits, . _ -)');
const list = (item: Joi.Schema): Joi.ArraySchema => Joi.array().items(item).min(1).max(200).unique();
const keyword = text(30).min(1);

const conditions = Joi.object({
  divisionPrefixes: list(Joi.string().pattern(/^\d{4,9}$/, 'division code prefix')),
  types: list(Joi.string().valid(...CASE_TYPES)),
  categories: list(text(50).min(1)),
  channels: list(Joi.string().valid(...CHANNELS)),
  urgencies: list(Joi.string().valid(...URGENCIES)),
  keywords: Joi.object({ anyOf: list(keyword), allOf: list(keyword), noneOf: list(keyword) }).min(1),
});

const target = Joi.alternatives().conditional('.kind', {
  switch: [
    { is: 'unit', then: Joi.object({ kind: Joi.string().valid('unit').required(), unitCode: unitCode.required() }) },
    {
      is: 'territorial',
      then: Joi.object({
        kind: Joi.string().valid('territorial').required(),
        level: Joi.string().valid('township', 'county'),
        departmentSlug: Joi.string().valid(...DEPARTMENTS.map((d) => d.slug)),
      }),
    },
  ],
  otherwise: Joi.object({ kind: Joi.string().valid('unit', 'territorial').required() }).unknown(),
});

const ruleFields = {
  name: text(100).min(1).required(),
  priority: Joi.number().integer().min(-1_000_000).max(1_000_000).required(),
  enabled: Joi.boolean().default(true),
  conditions: conditions.required(),
  target: target.required(),
};

/** POST /api/routing-rules: a new rule. */
export const createRuleBody = Joi.object<RoutingRule>({ id: ruleId.required(), ...ruleFields });

/** PUT /api/routing-rules/{id}: the rule's new content; `expectedVersion` refuses a stale edit. */
export const updateRuleBody = Joi.object<Omit<RoutingRule, 'id'> & { expectedVersion?: number }>({
  ...ruleFields,
  expectedVersion: Joi.number().integer().min(1),
});

export const ruleParams = Joi.object<{ id: string }>({ id: ruleId.required() });

export const revisionsQuery = Joi.object<{ ruleId?: string; limit: number }>({
  ruleId,
  limit: Joi.number().integer().min(1).max(500).default(100),
});

export interface SimulateBody {
  channel: (typeof CHANNELS)[number];
  type: (typeof CASE_TYPES)[number];
  category?: string;
  title?: string;
  content: string;
  address?: string;
  divisionCode?: string;
  urgency?: (typeof URGENCIES)[number];
  citizen?: Record<string, unknown>;
}

/** POST /api/routing-rules/simulate: a case-shaped body, routed and explained, never stored. */
export const simulateBody = Joi.object<SimulateBody>({
  channel: Joi.string().valid(...CHANNELS).required(),
  type: Joi.string().valid(...CASE_TYPES).required(),
  category: text(50),
  title: text(200),
  content: text(5000).min(1).required(),
  address: text(200),
  divisionCode: unitCode,
  urgency: Joi.string().valid(...URGENCIES),
  citizen: citizenSchema,
});
