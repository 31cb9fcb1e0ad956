import Joi from 'joi';
import type { ActionCommand } from '../../models/cases/case-actions.js';
import { DISCLOSURE_GROUNDS, DISCLOSURE_OUTCOMES, OPERATOR_CHANNELS } from '../../models/cases/case.js';
import { ACTIONS, SATISFACTIONS } from '../../models/cases/case-workflow.js';
import { text, unitCode } from '../http/common.schema.js';

// Optional optimistic check: the version the client last saw; a moved case answers 409.
const expectedVersion = Joi.number().integer().min(1);
const actionName = (name: string): Joi.StringSchema => Joi.string().valid(name).required();

const BODIES: Record<(typeof ACTIONS)[number], Joi.ObjectSchema> = {
  dispatch: Joi.object({ action: actionName('dispatch'), unitCode: unitCode.required(), coUnits: Joi.array().items(unitCode).max(10).unique(), note: text(500), expectedVersion }),
  accept: Joi.object({ action: actionName('accept'), note: text(500), expectedVersion }),
  forward: Joi.object({ action: actionName('forward'), unitCode: unitCode.required(), note: text(500), expectedVersion }),
  return: Joi.object({ action: actionName('return'), reason: text(1000).min(2).required(), expectedVersion }),
  request_extension: Joi.object({ action: actionName('request_extension'), days: Joi.number().integer().min(1).max(60).required(), reason: text(1000).min(2).required(), expectedVersion }),
  approve_extension: Joi.object({ action: actionName('approve_extension'), note: text(500), expectedVersion }),
  reject_extension: Joi.object({ action: actionName('reject_extension'), reason: text(1000).min(2).required(), expectedVersion }),
  request_amendment: Joi.object({ action: actionName('request_amendment'), note: text(1000).min(2).required(), expectedVersion }),
  amendment_received: Joi.object({ action: actionName('amendment_received'), note: text(1000), expectedVersion }),
  reply: Joi.object({
    action: actionName('reply'),
    reply: text(5000).min(2).required(),
    outcome: Joi.string().valid(...DISCLOSURE_OUTCOMES),
    ground: Joi.string().valid(...DISCLOSURE_GROUNDS),
    legalBasis: text(1000),
    expectedVersion,
  }),
  close: Joi.object({ action: actionName('close'), note: text(500), satisfaction: Joi.string().valid(...SATISFACTIONS), comment: text(1000), expectedVersion }),
  reopen: Joi.object({ action: actionName('reopen'), reason: text(1000).min(2).required(), expectedVersion }),
  supervise: Joi.object({ action: actionName('supervise'), note: text(1000).min(2).required(), expectedVersion }),
  merge: Joi.object({ action: actionName('merge'), intoCaseId: Joi.string().guid().required(), expectedVersion }),
  assign: Joi.object({ action: actionName('assign'), unitCode: unitCode.required(), note: text(500), expectedVersion }),
  feedback: Joi.object({ action: actionName('feedback'), note: text(2000).min(2).required(), expectedVersion }),
  // The new content of a call added to the caller's open case, and how it came in (a call by default).
  supplement: Joi.object({ action: actionName('supplement'), content: text(5000).min(2).required(), channel: Joi.string().valid(...OPERATOR_CHANNELS), expectedVersion }),
};

/** POST /api/cases/{id}/actions: one body shape per action, chosen by `action`. */
export const actionBody: Joi.Schema<ActionCommand> = Joi.alternatives().conditional('.action', {
  switch: ACTIONS.map((name) => ({ is: name, then: BODIES[name] })),
  otherwise: Joi.object({ action: Joi.string().valid(...ACTIONS).required() }).unknown(),
});
