import Joi from 'joi';
import { unitCode } from '../http/common.schema.js';
import { bound } from './unit-stats.schema.js';

export interface CaseMixQuery {
  from?: Date;
  to?: Date;
  parent?: string;
}

export const caseMixQuery = Joi.object<CaseMixQuery>({ from: bound(false), to: bound(true), parent: unitCode });

export interface TermSeriesQuery {
  from?: Date;
  to?: Date;
  terms: string[];
}

// Sparklines of the hot topics shown: a screenful of terms, each one jieba word.
export const termSeriesQuery = Joi.object<TermSeriesQuery>({
  from: bound(false),
  to: bound(true),
  terms: Joi.string()
    .trim()
    .max(600)
    .custom((value: string, helpers) => {
      const terms = [...new Set(value.split(',').map((t) => t.trim()).filter(Boolean))];
      return terms.length >= 1 && terms.length <= 30 && terms.every((t) => t.length <= 20) ? terms : helpers.error('any.invalid');
    })
    .messages({ 'any.invalid': '{{#label}} must be 1 to 30 comma-separated terms of at most 20 characters' })
    .required(),
});

const count = { type: 'integer' };
const date = { type: 'string', format: 'date' };

export const CASE_MIX_RESPONSE = {
  type: 'object',
  properties: {
    parent: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } } },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    weeks: { type: 'array', items: { type: 'object', properties: { week: { ...date, description: 'Monday of the week (Asia/Shanghai)' }, received: count } } },
    channels: { type: 'array', items: { type: 'object', properties: { channel: { type: 'string' }, label: { type: 'string' }, received: count } } },
    divisions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          code: { type: 'string', description: "township (9 digits) or county (6 digits); '' when the case has no known place" },
          name: { type: ['string', 'null'] },
          countyCode: { type: ['string', 'null'] },
          countyName: { type: ['string', 'null'] },
          received: count,
        },
      },
    },
  },
};

export const TERM_SERIES_RESPONSE = {
  type: 'object',
  properties: {
    days: { type: 'array', items: date, description: 'the days of the period (Asia/Shanghai), oldest first' },
    items: { type: 'array', items: { type: 'object', properties: { term: { type: 'string' }, counts: { type: 'array', items: count, description: 'cases per day, one per entry of days' } } } },
  },
};
