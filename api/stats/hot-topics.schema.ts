import Joi from 'joi';
import { text } from '../http/common.schema.js';
import { dateTime, periodFields, periodSchema, type PeriodQuery } from '../supervision/period.js';

export interface HotTopicsQueryParams extends PeriodQuery {
  limit: number;
  minCount: number;
  series: boolean;
}

export const hotTopicsQuery = Joi.object<HotTopicsQueryParams>({
  ...periodFields,
  limit: Joi.number().integer().min(1).max(100).default(20),
  minCount: Joi.number().integer().min(1).max(1_000_000).default(3),
  series: Joi.boolean().default(false),
});

export interface WatchListBody {
  growth: number;
  minCount: number;
  windowHours: number;
  allTerms: boolean;
  terms: { term: string; growth?: number; minCount?: number }[];
}

/** PUT /api/stats/hot-topics/watch-list: the whole list and the global threshold, replaced at once. */
export const watchListBody = Joi.object<WatchListBody>({
  growth: Joi.number().min(1).max(1000).required(),
  minCount: Joi.number().integer().min(1).max(100_000).required(),
  windowHours: Joi.number().integer().min(1).max(24 * 31).required(),
  allTerms: Joi.boolean().default(true),
  terms: Joi.array()
    .items(
      Joi.object({
        // One word as jieba would see it: no white space (segmenterFor ignores such words).
        term: text(20).min(2).pattern(/^\S+$/u, 'one word without spaces').required(),
        growth: Joi.number().min(1).max(1000),
        minCount: Joi.number().integer().min(1).max(100_000),
      }),
    )
    .max(500)
    .unique((a: { term: string }, b: { term: string }) => a.term.trim().toLowerCase() === b.term.trim().toLowerCase())
    .required(),
});

const divisionCount = { type: 'object', properties: { code: { type: 'string' }, name: { type: ['string', 'null'] }, count: { type: 'integer' } } };

const topic = {
  type: 'object',
  properties: {
    term: { type: 'string' },
    current: { type: 'integer', description: 'cases mentioning it in the period' },
    previous: { type: 'integer', description: 'cases mentioning it in the period of equal length before' },
    growth: { type: 'number', description: '(current + 5) / (previous + 5)' },
    change: { type: 'integer', description: 'current - previous' },
    divisions: { type: 'array', items: divisionCount, description: 'top divisions as the cases give them (township, or county when no township is known)' },
    counties: { type: 'array', items: divisionCount },
    examples: { type: 'array', items: { type: 'string' }, description: 'case numbers, newest first' },
  },
};

// With series=true, each rising term carries its line over the period.
const risingTopic = { ...topic, properties: { ...topic.properties, series: { type: 'array', items: { type: 'integer' }, description: 'with `series=true`: cases per day, city-wide, one per entry of days (as GET /api/stats/term-series)' } } };

const threshold = { type: 'object', properties: { growth: { type: 'number' }, minCount: { type: 'integer' } } };

/** The response of GET /api/stats/hot-topics. */
export const hotTopicsResponse = {
  type: 'object',
  properties: {
    period: periodSchema,
    previousPeriod: periodSchema,
    division: { type: ['string', 'null'] },
    cases: { type: 'object', properties: { current: { type: 'integer' }, previous: { type: 'integer' } } },
    smoothing: { type: 'integer', description: 'k in growth = (current + k) / (previous + k)' },
    terms: { type: 'array', items: risingTopic },
    categories: { type: 'array', items: topic },
    watched: { type: 'array', items: { ...topic, properties: { ...topic.properties, threshold, pastThreshold: { type: 'boolean' } } } },
    pendingCases: { type: 'integer', description: 'registered cases not indexed yet, so not counted' },
    days: { type: 'array', items: { type: 'string', format: 'date' }, description: 'with `series=true`: the days of the period (Asia/Shanghai), oldest first' },
  },
};

/** The response of GET and PUT /api/stats/hot-topics/watch-list. */
export const watchListResponse = {
  type: 'object',
  properties: {
    growth: { type: 'number' },
    minCount: { type: 'integer' },
    windowHours: { type: 'integer' },
    allTerms: { type: 'boolean' },
    terms: {
      type: 'array',
      items: {
        type: 'object',
        properties: { term: { type: 'string' }, growth: { type: ['number', 'null'] }, minCount: { type: ['integer', 'null'] }, backfilled: { type: 'boolean' }, addedAt: dateTime },
      },
    },
    updatedAt: dateTime,
  },
};
