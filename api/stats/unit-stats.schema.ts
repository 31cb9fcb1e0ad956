import Joi from 'joi';
import { RANKING_GROUPS, type RankingGroup } from '../../models/insights/stats/ranking.js';
import { unitCode } from '../http/common.schema.js';

const SHANGHAI = '+08:00';

/**
 * A period bound: a date (YYYY-MM-DD, a day in Asia/Shanghai) or an ISO date-time. A date as
 * `from` is the start of that day; as `to`, the end of it, so from=2026-01-01&to=2026-01-31 is January.
 */
export const bound = (end: boolean): Joi.AnySchema<Date> =>
  Joi.string().trim().max(40).custom((value: string, helpers) => {
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const at = new Date(dateOnly ? `${value}T00:00:00${SHANGHAI}` : value);
    if (Number.isNaN(at.getTime()) || (!dateOnly && !/^\d{4}-\d{2}-\d{2}T/.test(value))) return helpers.error('any.invalid');
    return dateOnly && end ? new Date(at.getTime() + 86_400_000) : at;
  }).messages({ 'any.invalid': '{{#label}} must be a date (YYYY-MM-DD) or an ISO 8601 date-time' }) as unknown as Joi.AnySchema<Date>;

export interface UnitStatsQuery {
  from?: Date;
  to?: Date;
  parent?: string;
  format: 'json' | 'csv';
}

export const unitStatsQuery = Joi.object<UnitStatsQuery>({
  from: bound(false),
  to: bound(true),
  parent: unitCode,
  format: Joi.string().valid('json', 'csv').default('json'),
});

export interface RankingsQuery {
  from?: Date;
  to?: Date;
  group: RankingGroup;
}

export const rankingsQuery = Joi.object<RankingsQuery>({
  from: bound(false),
  to: bound(true),
  group: Joi.string().valid(...Object.keys(RANKING_GROUPS)).default('counties'),
});

export interface WeightsBody {
  response: number;
  resolution: number;
  satisfaction: number;
  overduePenalty: number;
}

const weight = Joi.number().min(0).max(1).precision(4);

/** PUT /api/stats/ranking-weights: the three rate weights (at most 4 decimals) sum to 1. */
export const weightsBody = Joi.object<WeightsBody>({
  response: weight.required(),
  resolution: weight.required(),
  satisfaction: weight.required(),
  overduePenalty: weight.default(0),
})
  .custom((value: WeightsBody, helpers) =>
    // Compared in ten-thousandths: 0.1 + 0.2 + 0.7 is 1 to anyone but a float.
    Math.round(value.response * 1e4) + Math.round(value.resolution * 1e4) + Math.round(value.satisfaction * 1e4) === 1e4 ? value : helpers.error('weights.sum'),
  )
  .messages({ 'weights.sum': 'response + resolution + satisfaction must sum to 1' });

/** Where the figures' definitions live for API readers (docs/statistics.md has the long form). */
export const DEFINITIONS = [
  'Each item is one unit rolled up over its subtree (a county includes its townships and departments): the `parent` itself first (`level: "parent"`, its whole subtree), then each of its direct children (`level: "child"`).',
  'Every event counts for the unit it happened at (the case\'s unit after the event; for a return, the returning unit), so a case that changed unit counts for each unit for what happened while it was there. Periods are [from, to); a date means a day in Asia/Shanghai, and `to` as a date includes that day.',
  '`received`: distinct cases that reached the unit (a dispatch, forward or reopen to it) in the period. `dispatched`: dispatch and forward events to the unit. `acceptedOnTime`: 签收 within the acceptance limit. `replied` / `repliedOnTime`: 答复 events by the unit / those within the reply limit. `overdue`: red cards (acceptance or reply limit passed) in the period. `overdueNow`: cases assigned to the unit now, open and past their reply limit (or dispatched and past their acceptance limit), whatever the period. `returned`: 退单 by the unit. `extended`: extensions approved for the unit. `reopened`: cases sent back to the unit (a dissatisfied rating, or the centre). `escalated`: citizen 催办 of the unit\'s cases. `rated` / `satisfied` / `basicallySatisfied` / `dissatisfied`: ratings from the citizen page and from the return visit (回访). `disputed`: dispatches the unit contested (管辖争议); `disputesUpheld` / `disputesDismissed`: the centre\'s arbitrations of its disputes, for another unit / for it. `ratingAppeals`: its appeals against dissatisfied ratings (不满意甄别); `ratingsExcluded`: ratings given in the period that an upheld appeal set aside (still counted in `rated` and `dissatisfied`). `petitionsRejected`: petitions the unit (a petitions office) did not accept (不予受理); `acceptedOnTime` counts its decisions to accept (受理) within 15 days.',
  '`responseRate` = acceptedOnTime / acceptDue, where acceptDue = dispatched + reopened (every arrival asks for a 签收). `resolutionRate` = repliedOnTime / resolutionDue, where resolutionDue = replies in the period + reply red cards in the period whose case the unit had not answered by the end of the period. `satisfactionRate` = (satisfied + basicallySatisfied) / (rated − ratingsExcluded). Rates are fractions 0..1, null when the denominator is 0.',
  '`registered`: requests the unit\'s staff took in (for the 12345 centre, its desk\'s intake; mailbox and channel requests count for the unit that receives them). `answeredDirectly`: those answered on the spot at intake (当场答复), closed without a dispatch. `directAnswerRate` = answeredDirectly / registered; the parent row gives it over the whole subtree.',
  '`firstDispatched`: cases whose first dispatch went to the unit in the period. `firstDispatchKept`: of those, the ones no return (退单) or re-dispatch has undone since (up to the time of the request). `autoDispatched`: of those, the ones the routing made at intake. `firstDispatchAccuracy` = firstDispatchKept / firstDispatched; `autoDispatchRate` = autoDispatched / firstDispatched.',
].join('\n\n');

const count = { type: 'integer', minimum: 0 };
const fraction = { type: ['number', 'null'], minimum: 0, maximum: 1 };
const FIGURES = {
  unitCode: { type: 'string' },
  name: { type: 'string' },
  kind: { type: 'string' },
  level: { type: 'string', enum: ['parent', 'child'] },
  ...Object.fromEntries(
    ['received', 'dispatched', 'acceptedOnTime', 'replied', 'repliedOnTime', 'overdue', 'overdueNow', 'returned', 'extended', 'reopened', 'escalated', 'rated', 'satisfied', 'basicallySatisfied', 'dissatisfied', 'petitionsRejected', 'acceptDue', 'resolutionDue',
      'disputed', 'disputesUpheld', 'disputesDismissed', 'ratingAppeals', 'ratingsExcluded', 'registered', 'answeredDirectly', 'firstDispatched', 'firstDispatchKept', 'autoDispatched'].map((k) => [k, count]),
  ),
  responseRate: fraction,
  resolutionRate: fraction,
  satisfactionRate: fraction,
  directAnswerRate: fraction,
  firstDispatchAccuracy: fraction,
  autoDispatchRate: fraction,
};
const period = { from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' } };

export const UNIT_STATS_RESPONSE = {
  type: 'object',
  properties: { parent: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } } }, ...period, items: { type: 'array', items: { type: 'object', properties: FIGURES } } },
};

const WEIGHTS = {
  type: 'object',
  properties: {
    response: { type: 'number' },
    resolution: { type: 'number' },
    satisfaction: { type: 'number' },
    overduePenalty: { type: 'number' },
    version: { type: 'integer' },
    updatedAt: { type: 'string', format: 'date-time' },
    updatedBy: { type: ['object', 'null'], properties: { id: { type: 'string' }, username: { type: 'string' } } },
  },
};

export const WEIGHTS_RESPONSE = { type: 'object', properties: { current: WEIGHTS, history: { type: 'array', items: WEIGHTS } } };

export const RANKINGS_RESPONSE = {
  type: 'object',
  properties: {
    group: { type: 'string', enum: Object.keys(RANKING_GROUPS) },
    ...period,
    weights: WEIGHTS,
    items: {
      type: 'array',
      items: { type: 'object', properties: { rank: { type: ['integer', 'null'] }, score: { type: ['number', 'null'] }, overdueRate: fraction, ...FIGURES } },
    },
  },
};
