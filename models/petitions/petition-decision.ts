import { invalidState } from '../../errors.js';
import { PROPER_CHANNEL_LABELS, type CaseRecord, type ProperChannel } from '../cases/case.js';
import type { Effect } from '../cases/case-writer.js';
import type { UnitDirectory } from '../org/unit-directory.js';

/**
 * Whether the case is a petition held by a petitions office that has not decided yet whether to
 * accept it (《信访工作条例》 arts. 22-23): it is accepted or rejected, never merely signed for.
 */
export function awaitsPetitionDecision(record: CaseRecord, units: UnitDirectory): boolean {
  return record.type === 'petition' && record.petition.decision === null && units.get(record.assignedUnit?.code ?? '')?.kind === 'petitions_office';
}

function assertAwaitsDecision(record: CaseRecord, units: UnitDirectory): void {
  if (!awaitsPetitionDecision(record, units)) throw invalidState('Only a petition waiting for the petitions office to decide is accepted or rejected (受理/不予受理)');
}

const decidedOnTime = (record: CaseRecord, now: Date): { acceptBy: string | null; onTime: boolean } => ({
  acceptBy: record.deadlines.acceptBy?.toISOString() ?? null,
  onTime: record.deadlines.acceptBy === null || now.getTime() <= record.deadlines.acceptBy.getTime(),
});

/**
 * 受理: the office accepts the petition and goes on to hand it on (交办) or handle it itself. The
 * public note is the written notice the outbound worker sends through the source channel.
 */
export function acceptPetitionEffect(record: CaseRecord, units: UnitDirectory, now: Date): Effect<'accept_petition'> {
  assertAwaitsDecision(record, units);
  const office = record.assignedUnit?.name ?? '信访部门';
  const concluded = record.petition.concludedCaseId;
  return {
    assignedUnit: record.assignedUnit?.code ?? null,
    coUnits: record.coUnits,
    note: `${office}已受理您的信访事项，将依法办理并书面答复您。`,
    data: { ...decidedOnTime(record, now), ...(concluded ? { concludedCaseId: concluded } : {}) },
    public: true,
    set: { petition_decision: 'accepted' },
    deadlinesMoved: false,
  };
}

/**
 * 不予受理: the matter belongs to a statutory channel (or is otherwise not for the petitions
 * procedure); the case closes and the notice names where to turn instead.
 */
export function rejectPetitionEffect(record: CaseRecord, units: UnitDirectory, now: Date, reason: string, properChannel: ProperChannel): Effect<'reject_petition'> {
  assertAwaitsDecision(record, units);
  const office = record.assignedUnit?.name ?? '信访部门';
  const where = properChannel === 'other' ? '请通过其他法定途径解决' : `请依照有关法律、行政法规规定的程序通过${PROPER_CHANNEL_LABELS[properChannel]}途径解决`;
  return {
    assignedUnit: record.assignedUnit?.code ?? null,
    coUnits: record.coUnits,
    note: `${office}决定对您的信访事项不予受理。理由：${reason}。${where}。`,
    data: { ...decidedOnTime(record, now), reason, properChannel },
    public: true,
    set: { petition_decision: 'rejected', proper_channel: properChannel },
    deadlinesMoved: true,
  };
}
