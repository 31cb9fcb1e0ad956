import Joi from 'joi';
import { CASE_TYPES, type CaseType } from '../../models/cases/case.js';
import { SATISFACTIONS, type Satisfaction } from '../../models/cases/case-workflow.js';
import { phone, text } from '../http/common.schema.js';
import { CASE_LINK_PATTERN } from './case-link.js';
import { CHALLENGE_ID_PATTERN, type CaptchaAnswer } from './mailbox-captcha.js';

export interface MailboxBody {
  name?: string;
  phone: string;
  email?: string;
  title: string;
  content: string;
  address?: string;
  type?: CaseType;
  captcha?: CaptchaAnswer;
}

/** The mayor's mailbox form (市长信箱). */
export const mailboxBody = Joi.object<MailboxBody>({
  name: text(50),
  phone: phone.required(),
  email: Joi.string().trim().email({ tlds: false }).max(254),
  title: text(100).min(2).required(),
  content: text(5000).min(5).required(),
  address: text(200),
  type: Joi.string().valid(...CASE_TYPES.filter((t) => t !== 'disclosure')),
  // Needed only while traffic is unusual (the API answers 428 captcha_required then).
  captcha: Joi.object<CaptchaAnswer>({
    challengeId: Joi.string().pattern(CHALLENGE_ID_PATTERN, 'challenge id').required(),
    answer: Joi.string().trim().min(1).max(10).required(),
  }),
});

export const caseNoParams = Joi.object<{ caseNo: string }>({ caseNo: Joi.string().pattern(/^\d{15,20}$/, 'case number').required() });

export const queryCode = Joi.string().pattern(/^\d{6}$/, '6 digits');

/** The signed link token given with the receipt: it lets the citizen past a case locked by others' guessing. */
export const caseLink = Joi.string().pattern(CASE_LINK_PATTERN, 'link token');

export const publicCaseQuery = Joi.object<{ code: string; link?: string }>({ code: queryCode.required(), link: caseLink });

export const escalationBody = Joi.object<{ code: string; link?: string; reason: string }>({
  code: queryCode.required(),
  link: caseLink,
  reason: text(500).min(2).required(),
});

export const ratingBody = Joi.object<{ code: string; link?: string; satisfaction: Satisfaction; comment?: string }>({
  code: queryCode.required(),
  link: caseLink,
  satisfaction: Joi.string().valid(...SATISFACTIONS).required(),
  comment: text(1000),
});

/** Catch-up after a disconnect: the events after the last one the client saw (0: all). */
export const eventsAfter = Joi.number().integer().min(0).max(Number.MAX_SAFE_INTEGER).default(0);

export const publicEventsQuery = Joi.object<{ code: string; link?: string; after: number }>({ code: queryCode.required(), link: caseLink, after: eventsAfter });

export const reviewBody = Joi.object<{ code: string; link?: string; reason: string }>({
  code: queryCode.required(),
  link: caseLink,
  reason: text(2000).min(2).required(),
});
