import { badRequest, invalidState } from '../../errors.js';
import type { CaseRecord } from '../cases/case.js';

// Outcomes that give the applicant the information, in whole or in part.
const DISCLOSING: readonly string[] = ['already_public', 'disclosed', 'partly_disclosed'];

/**
 * What a disclosure reply records of the third party consulted (《政府信息公开条例》 art. 32):
 * whether it agreed and, when the information is disclosed against its view, the public interest
 * that justifies it. Nothing when no third party was consulted.
 */
export function thirdPartyAnswer(outcome: string, publicInterest: string | undefined, record: CaseRecord): { thirdPartyAgreed?: boolean; thirdPartyLapsed?: true; publicInterest?: string } {
  const opinion = record.procedures.thirdPartyOpinion;
  const overrides = opinion?.agreed === false && DISCLOSING.includes(outcome);
  if (opinion && opinion.receivedAt === null) throw invalidState("The third party's view is still awaited; record it before replying");
  if (overrides && !publicInterest) {
    throw badRequest('Disclosing against the third party needs the public interest it serves', [{ path: 'body.publicInterest', message: 'required when the third party did not agree' }]);
  }
  if (!overrides && publicInterest) {
    throw badRequest('A public-interest ground is given only when disclosing against the third party', [{ path: 'body.publicInterest', message: 'not allowed here' }]);
  }
  if (!opinion) return {};
  // Art. 32: the third party let its time pass; the office decided without its view.
  if (opinion.lapsed) return { thirdPartyLapsed: true };
  return { thirdPartyAgreed: opinion.agreed === true, ...(publicInterest ? { publicInterest } : {}) };
}
