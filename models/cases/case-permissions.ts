import type { CaseRecord } from './case.js';
import { actorKind, type StaffActor } from './case-actions.js';
import { ACTIONS, checkTransition, type CaseAction } from './case-workflow.js';

/**
 * The actions the state table lets this staff member take on the case as it stands, so that a
 * screen offers only buttons that would be accepted. The action itself is checked again when taken.
 */
export function allowedActions(actor: StaffActor, record: CaseRecord): CaseAction[] {
  const kind = actorKind(actor, record);
  return ACTIONS.filter((action) => checkTransition(action, record.status, kind) === null && applies(action, record));
}

// Rows of the state table that also depend on the case itself, not only its status.
function applies(action: CaseAction, record: CaseRecord): boolean {
  switch (action) {
    case 'approve_extension':
    case 'reject_extension':
      return record.deadlines.pendingExtension !== null;
    case 'request_extension':
      return record.deadlines.pendingExtension === null;
    // 补正 stops a disclosure request's clock; the applicant's answer starts it again.
    case 'request_amendment':
      return record.type === 'disclosure' && record.deadlines.pausedAt === null;
    case 'amendment_received':
      return record.type === 'disclosure' && record.deadlines.pausedAt !== null;
    case 'assign':
      return record.type === 'petition';
    case 'merge':
      // Merging needs the other case chosen; the desk's duplicate list offers it, not a bare button.
      return false;
    default:
      return true;
  }
}
