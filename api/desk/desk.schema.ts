import Joi from 'joi';
import { phone, text, unitCode } from '../http/common.schema.js';

export const callerCasesQuery = Joi.object<{ phone: string; limit: number }>({
  phone: phone.required(),
  limit: Joi.number().integer().min(1).max(50).default(10),
});

export interface DuplicatesBody {
  phone?: string;
  divisionCode?: string;
  title?: string;
  content: string;
}

export const duplicatesBody = Joi.object<DuplicatesBody>({
  phone,
  divisionCode: unitCode,
  title: text(200),
  content: text(5000).min(2).required(),
});

const deskCase = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    caseNo: { type: 'string' },
    title: { type: ['string', 'null'] },
    status: { type: 'string' },
    statusLabel: { type: 'string' },
    open: { type: 'boolean' },
    receivedAt: { type: 'string', format: 'date-time' },
    assignedUnit: { type: ['object', 'null'], properties: { code: { type: 'string' }, name: { type: 'string' } } },
  },
};

/** Response schemas of the desk's look-ups. */
export const deskCaseList = { type: 'object', properties: { items: { type: 'array', items: deskCase } } };
export const duplicateList = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: { ...deskCase, properties: { ...deskCase.properties, similarity: { type: 'number' }, sameCaller: { type: 'boolean' }, samePlace: { type: 'boolean' } } },
    },
  },
};
