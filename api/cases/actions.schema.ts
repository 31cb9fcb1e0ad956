import Joi from 'joi';
import type { ActionCommand } from '../../models/cases/case-actions.js';
import { DISCLOSURE_GROUNDS, DISCLOSURE_OUTCOMES, OPERATOR_CHANNELS, PROPER_CHANNELS } from '../../models/cases/case.js';
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
    publicInterest: text(1000).min(2),
    expectedVersion,
  }),
  return_visit: Joi.object({ action: actionName('return_visit'), satisfaction: Joi.string().valid(...SATISFACTIONS).required(), comment: text(1000), expectedVersion }),
  close: Joi.object({ action: actionName('close'), note: text(500), satisfaction: Joi.string().valid(...SATISFACTIONS), comment: text(1000), expectedVersion }),
  reopen: Joi.object({ action: actionName('reopen'), reason: text(1000).min(2).required(), expectedVersion }),
  supervise: Joi.object({ action: actionName('supervise'), note: text(1000).min(2).required(), expectedVersion }),
  merge: Joi.object({ action: actionName('merge'), intoCaseId: Joi.string().guid().required(), expectedVersion }),
  assign: Joi.object({ action: actionName('assign'), unitCode: unitCode.required(), note: text(500), expectedVersion }),
  feedback: Joi.object({ action: actionName('feedback'), note: text(2000).min(2).required(), expectedVersion }),
  accept_petition: Joi.object({ action: actionName('accept_petition'), note: text(500), expectedVersion }),
  reject_petition: Joi.object({ action: actionName('reject_petition'), reason: text(2000).min(2).required(), properChannel: Joi.string().valid(...PROPER_CHANNELS).required(), expectedVersion }),
  request_third_party_opinion: Joi.object({ action: actionName('request_third_party_opinion'), party: text(200).min(2).required(), reason: text(1000).min(2).required(), expectedVersion }),
  third_party_opinion_received: Joi.object({ action: actionName('third_party_opinion_received'), agreed: Joi.boolean().required(), note: text(1000), expectedVersion }),
  third_party_no_answer: Joi.object({ action: actionName('third_party_no_answer'), note: text(1000), expectedVersion }),
  dispute_dispatch: Joi.object({ action: actionName('dispute_dispatch'), reason: text(1000).min(2).required(), suggestedUnitCode: unitCode, expectedVersion }),
  arbitrate_dispute: Joi.object({ action: actionName('arbitrate_dispute'), unitCode: unitCode.required(), reason: text(1000).min(2).required(), expectedVersion }),
  appeal_rating: Joi.object({ action: actionName('appeal_rating'), reason: text(1000).min(2).required(), expectedVersion }),
  decide_rating_appeal: Joi.object({ action: actionName('decide_rating_appeal'), upheld: Joi.boolean().required(), reason: text(1000).min(2).required(), expectedVersion }),
  // The new content of a call added to the caller's open case, and how it came in (a call by default).
  supplement: Joi.object({ action: actionName('supplement'), content: text(5000).min(2).required(), channel: Joi.string().valid(...OPERATOR_CHANNELS), expectedVersion }),
};

/** POST /api/cases/{id}/actions: one body shape per action, chosen by `action`. */
export const actionBody: Joi.Schema<ActionCommand> = Joi.alternatives().conditional('.action', {
  switch: ACTIONS.map((name) => ({ is: name, then: BODIES[name] })),
  otherwise: Joi.object({ action: Joi.string().valid(...ACTIONS).required() }).unknown(),
});
