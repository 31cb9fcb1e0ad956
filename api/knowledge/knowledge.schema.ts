import Joi from 'joi';
import { badRequest } from '../../errors.js';
import { text, unitCode } from '../http/common.schema.js';

/** A calendar date, YYYY-MM-DD, that exists. */
const calendarDate = Joi.string()
  .pattern(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .custom((value: string, helpers) => (new Date(`${value}T00:00:00Z`).toISOString().startsWith(value) ? value : helpers.error('date.base')));

export interface ArticleBody {
  title: string;
  body: string;
  keywords: string[];
  unitCode: string;
  validFrom: string;
  validTo: string | null;
}

const articleFields = {
  title: text(200).min(2).required(),
  body: text(20_000).min(2).required(),
  keywords: Joi.array().items(text(30).min(1)).max(30).unique().default([]),
  unitCode: unitCode.required(),
  validFrom: calendarDate.required(),
  // No end: in force until the article is changed or archived.
  validTo: calendarDate.allow(null).default(null),
};

/** POST /api/knowledge. */
export const articleBody = Joi.object<ArticleBody>(articleFields);

/** PUT /api/knowledge/{id}: the whole article again, and optionally the version it was read at. */
export const articleUpdateBody = Joi.object<ArticleBody & { expectedVersion?: number }>({ ...articleFields, expectedVersion: Joi.number().integer().min(1) });

/** Refuses a validity that ends before it starts (Joi compares no two string fields). */
export function assertValidity(body: Pick<ArticleBody, 'validFrom' | 'validTo'>): void {
  if (body.validTo !== null && body.validTo < body.validFrom) {
    throw badRequest('Invalid body', [{ path: 'body.validTo', message: '"validTo" must not be before "validFrom"' }]);
  }
}

export interface ArticleListQuery {
  unit?: string;
  archived: boolean;
  validOn?: string;
  limit: number;
  offset: number;
}

export const articleListQuery = Joi.object<ArticleListQuery>({
  unit: unitCode,
  archived: Joi.boolean().default(false),
  validOn: calendarDate,
  limit: Joi.number().integer().min(1).max(100).default(20),
  offset: Joi.number().integer().min(0).max(10_000).default(0),
});

export interface ArticleSearchQuery {
  q: string;
  unit?: string;
  validOn?: string;
  anyDate: boolean;
  limit: number;
}

export const articleSearchQuery = Joi.object<ArticleSearchQuery>({
  q: text(500).min(1).required(),
  unit: unitCode,
  // By default only articles in force today (Asia/Shanghai); anyDate=true finds expired and future ones too.
  validOn: calendarDate,
  anyDate: Joi.boolean().default(false),
  limit: Joi.number().integer().min(1).max(20).default(5),
});

const nullableDate = { type: ['string', 'null'], format: 'date' };
const articleProperties = {
  id: { type: 'string', format: 'uuid' },
  version: { type: 'integer' },
  title: { type: 'string' },
  body: { type: 'string' },
  keywords: { type: 'array', items: { type: 'string' } },
  unitCode: { type: 'string' },
  unitName: { type: 'string' },
  validFrom: { type: 'string', format: 'date' },
  validTo: nullableDate,
  archived: { type: 'boolean' },
  validity: { type: 'string', enum: ['in_force', 'expired', 'upcoming', 'archived'], description: 'As of today (Asia/Shanghai)' },
  validityLabel: { type: 'string' },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
};

/** Response schemas of the knowledge base. */
export const ARTICLE = { type: 'object', properties: articleProperties };
export const ARTICLE_LIST = { type: 'object', properties: { items: { type: 'array', items: ARTICLE }, total: { type: 'integer' } } };
export const SEARCH_RESULT = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: { type: 'object', properties: { ...articleProperties, score: { type: 'number' }, matched: { type: 'array', items: { type: 'string' }, description: 'The words of the question the article matched, itself or by a synonym' } } },
    },
  },
};
export const VERSION_LIST = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          version: { type: 'integer' },
          change: { type: 'string', enum: ['create', 'update', 'archive'] },
          title: { type: 'string' },
          body: { type: 'string' },
          keywords: { type: 'array', items: { type: 'string' } },
          unitCode: { type: 'string' },
          validFrom: { type: 'string', format: 'date' },
          validTo: nullableDate,
          changedBy: { type: ['string', 'null'], format: 'uuid' },
          changedAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
};
