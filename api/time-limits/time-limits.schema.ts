import Joi from 'joi';
import { CASE_TYPES, URGENCIES } from '../../models/cases/case.js';
import type { CalendarOverride } from '../../models/time-limits/working-calendar.js';
import type { ProcedureLimits, TimeLimitPolicy } from '../../models/time-limits/time-limit-policy.js';
import { text } from '../http/common.schema.js';

const limit = Joi.object({
  unit: Joi.string().valid('working_days', 'hours', 'days').required(),
  // Hours may be fractional (0.5 = 30 minutes); days are whole.
  amount: Joi.number().positive().max(1000).when('unit', { is: 'hours', otherwise: Joi.number().integer() }).required(),
});

const policy = Joi.object({
  id: Joi.string().pattern(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'policy id').required(),
  caseType: Joi.string().valid('*', ...CASE_TYPES).required(),
  urgency: Joi.string().valid('*', ...URGENCIES).required(),
  accept: limit.required(),
  reply: limit.required(),
  warnAt: Joi.number().min(0.05).max(1).default(0.8),
  extension: Joi.object({ maxCount: Joi.number().integer().min(1).max(10), maxTotal: limit.required() }),
});

export type PolicyInput = Omit<TimeLimitPolicy, 'version'>;

// A procedure's limit of zero would make it due at once; each is at least one unit.
const procedureLimits = Joi.object<Partial<ProcedureLimits>>({ thirdPartyAnswer: limit, arbitration: limit, ratingAppeal: limit });

/**
 * PUT /api/time-limit-policies: the whole set, which must cover every case (a `*`/`*` policy), and
 * optionally the limits of the procedures (those left out stay as they are).
 */
export const policiesBody = Joi.object<{ policies: PolicyInput[]; procedureLimits?: Partial<ProcedureLimits> }>({
  procedureLimits,
  policies: Joi.array()
    .items(policy)
    .min(1)
    .max(200)
    .unique('id')
    .unique((a: PolicyInput, b: PolicyInput) => a.caseType === b.caseType && a.urgency === b.urgency)
    .has(Joi.object({ caseType: Joi.valid('*'), urgency: Joi.valid('*') }).unknown())
    .required()
    .messages({ 'array.hasUnknown': 'policies must include a fallback with caseType "*" and urgency "*"' }),
});

const calendarDate = Joi.string().pattern(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').custom((value: string, helpers) => {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value) ? value : helpers.error('any.invalid');
});

/**
 * PUT /api/calendar/overrides: dates made working days or holidays. With `year`, the request is that
 * year's official schedule: it replaces the year's overrides and marks the year as covered.
 */
export const overridesBody = Joi.object<{ year?: number; overrides: CalendarOverride[] }>({
  year: Joi.number().integer().min(2000).max(2100),
  overrides: Joi.array()
    .items(Joi.object({ date: calendarDate.required(), kind: Joi.string().valid('workday', 'holiday').required(), note: text(200) }))
    .max(400)
    .unique('date')
    .required(),
}).custom((value: { year?: number; overrides: CalendarOverride[] }, helpers) => {
  const stray = value.year === undefined ? undefined : value.overrides.find((o) => !o.date.startsWith(`${value.year}-`));
  return stray ? helpers.message({ custom: `override ${stray.date} is outside year ${value.year}` }) : value;
});

const year = Joi.number().integer().min(2000).max(2100);

export const overridesQuery = Joi.object<{ year?: number }>({ year });

export const calendarYearParams = Joi.object<{ year: number }>({ year: year.required() });

export const overrideDateParams = Joi.object<{ date: string }>({ date: calendarDate.required() });
