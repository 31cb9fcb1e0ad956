import { forbidden } from '../../errors.js';
import type { StaffActor } from '../cases/action-command.js';
import type { CaseRecord } from '../cases/case.js';

/** In what capacity an extension is decided: by the centre, or by the head of a disclosure office. */
export type ExtensionDecider = 'centre' | 'disclosure_head';

/**
 * Who decides the extension of this case: a disclosure request's, only the head of the disclosure
 * office holding it (《政府信息公开条例》 art. 33: 经政府信息公开工作机构负责人同意); any other case's,
 * the centre (a supervisor). `isHead` is whether the actor is that head; null when the actor is not
 * the one to decide.
 */
export function extensionDeciderOf(actor: StaffActor, record: CaseRecord, isHead: boolean): ExtensionDecider | null {
  if (record.type === 'disclosure') {
    return actor.role === 'handler' && actor.unitCode !== null && actor.unitCode === record.assignedUnit?.code && isHead ? 'disclosure_head' : null;
  }
  return actor.role === 'supervisor' ? 'centre' : null;
}

/** As extensionDeciderOf, refusing with 403 and the rule broken when the actor may not decide. */
export function assertExtensionDecider(actor: StaffActor, record: CaseRecord, isHead: boolean): ExtensionDecider {
  const decider = extensionDeciderOf(actor, record, isHead);
  if (decider) return decider;
  if (record.type === 'disclosure') {
    throw forbidden('延期答复须经政府信息公开工作机构负责人同意（《政府信息公开条例》第三十三条）: only the head of the disclosure office holding this request may decide its extension');
  }
  throw forbidden('延期由12345热线中心审批: an extension is decided by a supervisor of the centre');
}
