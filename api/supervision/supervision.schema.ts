import Joi from 'joi';
import { dateTime, periodFields, periodSchema, type PeriodQuery } from './period.js';

export interface RepeatsQueryParams extends PeriodQuery {
  limit: number;
  minCases: number;
}

export const repeatsQuery = Joi.object<RepeatsQueryParams>({
  ...periodFields,
  limit: Joi.number().integer().min(1).max(200).default(50),
  minCases: Joi.number().integer().min(2).max(1000).default(3),
});

export interface DuplicatesQueryParams extends PeriodQuery {
  limit: number;
}

export const duplicatesQuery = Joi.object<DuplicatesQueryParams>({
  ...periodFields,
  limit: Joi.number().integer().min(1).max(500).default(100),
});

const caseRef = {
  type: 'object',
  properties: { id: { type: 'string', format: 'uuid' }, caseNo: { type: 'string' }, title: { type: ['string', 'null'] }, status: { type: 'string' }, receivedAt: dateTime },
};

/** The response of GET /api/stats/duplicates. */
export const duplicatePairsResponse = {
  type: 'object',
  properties: {
    period: periodSchema,
    items: {
      type: 'array',
      items: { type: 'object', properties: { case: caseRef, duplicateOf: caseRef, similarity: { type: 'number' }, detectedAt: dateTime } },
    },
  },
};

/** The response of GET /api/cases/{id}/duplicates. */
export const caseDuplicatesResponse = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    caseNo: { type: 'string' },
    indexed: { type: 'boolean', description: 'false: the indexer has not seen this case yet; candidates were compared just now' },
    candidates: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          ...caseRef.properties,
          similarity: { type: 'number', description: 'Dice coefficient of the character bigrams of title and content (2|A∩B| / (|A|+|B|))' },
          relation: { type: 'string', enum: ['earlier', 'later'] },
          detectedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
    },
  },
};

/** The response of GET /api/stats/repeats. */
export const repeatsResponse = {
  type: 'object',
  properties: {
    period: periodSchema,
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          divisionCode: { type: 'string' },
          divisionName: { type: ['string', 'null'] },
          category: { type: ['string', 'null'] },
          keyTerm: { type: 'string', description: 'the recurring term the cases share' },
          count: { type: 'integer' },
          caseNos: { type: 'array', items: { type: 'string' } },
          firstReceivedAt: dateTime,
          lastReceivedAt: dateTime,
          commonTerms: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
};
