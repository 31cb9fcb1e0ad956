import type { CaseRecord } from './case.js';
import { actorKind, type StaffActor } from './case-actions.js';
import { ACTIONS, checkTransition, type CaseAction } from './case-workflow.js';
import { awaitsPetitionDecision } from '../petitions/petition-decision.js';
import type { UnitDirectory } from '../org/unit-directory.js';
import { procedureApplies } from '../procedures/procedure-effects.js';
import { pauseReason } from '../procedures/procedure-state.js';
import { extensionDeciderOf } from '../procedures/extension-approver.js';
import { isAnsweredDirectly } from './direct-answer.js';

/**
 * The actions the state table lets this staff member take on the case as it stands, so that a
 * screen offers only buttons that would be accepted. The action itself is checked again when taken.
 */
export function allowedActions(actor: StaffActor, record: CaseRecord, units: UnitDirectory): CaseAction[] {
  const kind = actorKind(actor, record);
  const deciding = awaitsPetitionDecision(record, units);
  return ACTIONS.filter((action) => checkTransition(action, record.status, kind) === null && applies(action, actor, record, deciding));
}

// Rows of the state table that also depend on the case itself, not only its status.
function applies(action: CaseAction, actor: StaffActor, record: CaseRecord, decidingPetition: boolean): boolean {
  switch (action) {
    // A petitions office decides whether to accept a petition (受理 or 不予受理) instead of signing for it.
    case 'accept':
      return !decidingPetition;
    case 'accept_petition':
    case 'reject_petition':
      return decidingPetition;
    case 'approve_extension':
    case 'reject_extension':
      return record.deadlines.pendingExtension !== null && extensionDeciderOf(actor, record, actor.disclosureHead === true) !== null;
    case 'request_extension':
      return record.deadlines.pendingExtension === null;
    // 补正 stops a disclosure request's clock; the applicant's answer starts it again.
    case 'request_amendment':
      return record.type === 'disclosure' && record.deadlines.pausedAt === null;
    case 'amendment_received':
      return record.type === 'disclosure' && pauseReason(record.procedures, record.deadlines.pausedAt) === 'amendment';
    case 'assign':
      return record.type === 'petition';
    case 'merge':
      // Merging needs the other case chosen; the desk's duplicate list offers it, not a bare button.
      return false;
    case 'return':
      return record.procedures.dispute === null && record.assignedUnit?.code !== record.procedures.arbitratedUnit;
    case 'forward':
      return record.procedures.dispute === null;
    case 'request_third_party_opinion':
    case 'third_party_opinion_received':
    case 'third_party_no_answer':
    case 'dispute_dispatch':
    case 'arbitrate_dispute':
    case 'appeal_rating':
    case 'decide_rating_appeal':
      return procedureApplies(action, record);
    case 'return_visit':
      return isAnsweredDirectly(record) && record.rating === null;
    case 'reopen':
      return !isAnsweredDirectly(record);
    default:
      return true;
  }
}
