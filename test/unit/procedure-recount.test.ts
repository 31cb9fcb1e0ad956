import { expect } from 'chai';
import type { CaseDeadlines, CaseRecord } from '../../models/cases/case.js';
import type { ProcedureState } from '../../models/procedures/procedure-state.js';
import { movedColumns, recountProcedureDeadline, type TimelineRow } from '../../models/time-limits/recompute-deadlines.js';
import { createWorkingCalendar } from '../../models/time-limits/working-calendar.js';

const at = (isoWithOffset: string): Date => new Date(isoWithOffset);
const provisional2027 = createWorkingCalendar([]);
// 元旦 off, and Saturday 2027-01-02 worked (调休).
const worked2027 = createWorkingCalendar([{ date: '2027-01-01', kind: 'holiday' }, { date: '2027-01-02', kind: 'workday' }], { loadedYears: [2027] });
const basis = { policyId: 'procedure-arbitration', setVersion: 1, limit: { unit: 'working_days', amount: 5 }, warnAt: 0.8 } as const;
const disputedAt = at('2026-12-28T10:00:00+08:00');
const events: TimelineRow[] = [{ action: 'dispute_dispatch', data: {}, created_at: disputedAt }];
const dispute = { unitCode: '371325105', reason: '不属于本镇职责', suggestedUnitCode: null, disputedAt: disputedAt.toISOString() };

const NO_DEADLINES: CaseDeadlines = {
  acceptBy: null, acceptWarnAt: null, acceptOverdueAt: null, replyBy: null, replyWarnAt: null, replyOverdueAt: null, acceptProvisional: false, replyProvisional: false,
  version: 1, policy: null, pausedAt: null, pendingExtension: null, extensions: [], arbitrateBy: null, arbitrateWarnAt: null, arbitrateOverdueAt: null,
  arbitrateProvisional: false, thirdPartyBy: null, thirdPartyWarnAt: null, thirdPartyOverdueAt: null, thirdPartyProvisional: false,
};
const NO_PROCEDURES: ProcedureState = { thirdPartyOpinion: null, dispute: null, arbitratedUnit: null, ratingAppeal: null };

function disputed(overrides: { deadlines?: Partial<CaseDeadlines>; procedures?: Partial<ProcedureState> } = {}): Pick<CaseRecord, 'status' | 'deadlines' | 'procedures'> {
  return {
    status: 'in_progress',
    deadlines: { ...NO_DEADLINES, arbitrateBy: at('2027-01-06T00:00:00+08:00'), arbitrateProvisional: true, policy: { arbitration: basis }, ...overrides.deadlines },
    procedures: { ...NO_PROCEDURES, dispute, ...overrides.procedures },
  };
}

describe('recounting the arbitration of a dispute when a schedule is loaded', () => {
  it('when a dispute of 2026-12-28 is counted with 元旦 only, then its 5 working days end 2027-01-05 24:00, provisional', () => {
    expect(recountProcedureDeadline(provisional2027, 'arbitrate', disputed(), events)).to.deep.include({ due: at('2027-01-06T00:00:00+08:00'), provisional: true });
  });

  it('when the loaded schedule works Saturday 2027-01-02, then the arbitration falls due a day earlier and is no longer provisional', () => {
    expect(recountProcedureDeadline(worked2027, 'arbitrate', disputed(), events)).to.deep.include({ due: at('2027-01-05T00:00:00+08:00'), provisional: false });
  });

  it('when the dispute was already arbitrated or the deadline was never provisional, then nothing is recounted', () => {
    expect(recountProcedureDeadline(worked2027, 'arbitrate', disputed({ procedures: { dispute: null } }), events)).to.equal(null);
    expect(recountProcedureDeadline(worked2027, 'arbitrate', disputed({ deadlines: { arbitrateProvisional: false } }), events)).to.equal(null);
    expect(recountProcedureDeadline(worked2027, 'arbitrate', disputed(), []), 'no starting event on record').to.equal(null);
  });

  it("when only the arbitration is flagged, then the third party's deadline is not recounted", () => {
    expect(recountProcedureDeadline(worked2027, 'thirdParty', disputed(), events)).to.equal(null);
  });

  it('when the recount lies ahead, then the warning and the overdue may fire again; when it has passed, their flags stay', () => {
    const recount = { due: at('2027-01-05T00:00:00+08:00'), warnAt: at('2027-01-04T10:00:00+08:00'), provisional: false };
    expect(movedColumns('arbitrate', recount, at('2026-12-30T09:00:00+08:00'))).to.deep.equal({
      arbitrate_by: recount.due, arbitrate_warn_at: recount.warnAt, arbitrate_provisional: false, arbitrate_warned_at: null, arbitrate_overdue_at: null,
    });
    expect(movedColumns('thirdParty', recount, at('2027-01-06T09:00:00+08:00'))).to.deep.equal({ third_party_by: recount.due, third_party_warn_at: recount.warnAt, third_party_provisional: false });
  });
});
