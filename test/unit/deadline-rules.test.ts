import { expect } from 'chai';
import fc from 'fast-check';
import { deadlineJobId, isDeadlineJobRef, parseDeadlineJobId } from '../../jobs/deadline.queue.js';
import { STATUSES } from '../../models/cases/case.js';
import { CITY_HOTLINE_CENTRE, DEADLINE_EFFECTS, DEADLINE_KINDS, escalationTarget, isClockRunning, judgeEffect, type DeadlineJobRef, type EffectState } from '../../models/time-limits/deadline-rules.js';

const refArb = fc.record({
  caseId: fc.uuid(),
  kind: fc.constantFrom(...DEADLINE_KINDS),
  effect: fc.constantFrom(...DEADLINE_EFFECTS),
  version: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
});

describe('deadline job ids', () => {
  it('when any effect gets its job id, then the id has no ":" (BullMQ reserves it) and reads back to the same effect', () => {
    fc.assert(
      fc.property(refArb, (ref) => {
        const id = deadlineJobId(ref);
        expect(id).not.to.include(':');
        expect(parseDeadlineJobId(id)).to.deep.equal(ref);
        expect(isDeadlineJobRef(ref)).to.equal(true);
      }),
    );
  });

  it('when two effects differ in anything, then their job ids differ', () => {
    fc.assert(fc.property(refArb, refArb, (a, b) => (deadlineJobId(a) === deadlineJobId(b)) === (JSON.stringify(a) === JSON.stringify(b))));
  });

  it('when an id or job data is not a deadline reference, then it is refused', () => {
    expect(parseDeadlineJobId('repeat:abc:123')).to.equal(null);
    expect(parseDeadlineJobId('dl.not-a-uuid.reply.overdue.1')).to.equal(null);
    expect(isDeadlineJobRef({ caseId: '2b1c4a47-6d3e-4d5e-9a55-0d3c4b8b7f10', kind: 'reply', effect: 'overdue', version: 0 })).to.equal(false);
    expect(isDeadlineJobRef({ caseId: '2b1c4a47-6d3e-4d5e-9a55-0d3c4b8b7f10', kind: 'answer', effect: 'overdue', version: 1 })).to.equal(false);
    expect(isDeadlineJobRef({ caseId: '2b1c4a47-6d3e-4d5e-9a55-0d3c4b8b7f10', kind: 'reply', effect: 'overdue', version: '1' })).to.equal(false);
    expect(isDeadlineJobRef(null)).to.equal(false);
  });
});

describe('escalation target', () => {
  it('when a township holds the case, then it goes to its county', () => {
    expect(escalationTarget({ unitCode: '371325105', parentCode: '371325', parentKind: 'county' })).to.equal('371325');
  });

  it('when a county department holds the case, then it goes to its county', () => {
    expect(escalationTarget({ unitCode: '371325-renshe', parentCode: '371325', parentKind: 'county' })).to.equal('371325');
  });

  it('when a county or a city department holds the case, then it goes to the city centre', () => {
    expect(escalationTarget({ unitCode: '371325', parentCode: '3713', parentKind: 'city' })).to.equal(CITY_HOTLINE_CENTRE);
    expect(escalationTarget({ unitCode: '3713-renshe', parentCode: '3713', parentKind: 'city' })).to.equal(CITY_HOTLINE_CENTRE);
  });

  it('when no unit or the city itself holds the case, then it goes to the city centre', () => {
    expect(escalationTarget({ unitCode: null, parentCode: null, parentKind: null })).to.equal(CITY_HOTLINE_CENTRE);
    expect(escalationTarget({ unitCode: '3713', parentCode: null, parentKind: null })).to.equal(CITY_HOTLINE_CENTRE);
  });

  it('when the city centre itself holds the case, then there is no one above to escalate to', () => {
    expect(escalationTarget({ unitCode: CITY_HOTLINE_CENTRE, parentCode: '3713', parentKind: 'city' })).to.equal(null);
  });
});

describe('judging a deadline effect', () => {
  const now = new Date('2026-10-13T16:00:00Z');
  const due: EffectState = { status: 'in_progress', clockPausedAt: null, deadlineVersion: 3, fireAt: new Date(now.getTime() - 1), appliedAt: null };
  const reply: DeadlineJobRef = { caseId: '2b1c4a47-6d3e-4d5e-9a55-0d3c4b8b7f10', kind: 'reply', effect: 'overdue', version: 3 };

  it('when the effect is due, current, running and not applied, then it applies (at the exact due time too)', () => {
    expect(judgeEffect(due, reply, now)).to.equal('apply');
    expect(judgeEffect({ ...due, fireAt: now }, reply, now)).to.equal('apply');
  });

  it('when the deadline moved since the job was made, then the job is stale, whatever else holds', () => {
    expect(judgeEffect({ ...due, deadlineVersion: 4, status: 'replied' }, reply, now)).to.equal('stale');
  });

  it('when the case was replied, the clock paused or the deadline unset, then the effect does not apply', () => {
    expect(judgeEffect({ ...due, status: 'replied' }, reply, now)).to.equal('not_applicable');
    expect(judgeEffect({ ...due, clockPausedAt: now }, reply, now)).to.equal('not_applicable');
    expect(judgeEffect({ ...due, fireAt: null }, reply, now)).to.equal('not_applicable');
    expect(judgeEffect(due, { ...reply, kind: 'accept' }, now)).to.equal('not_applicable');
  });

  it('when the effect was applied, then it is not applied again; when it is not yet due, then it waits', () => {
    expect(judgeEffect({ ...due, appliedAt: now }, reply, now)).to.equal('already_applied');
    expect(judgeEffect({ ...due, fireAt: new Date(now.getTime() + 1) }, reply, now)).to.equal('not_due');
  });

  it('when the acceptance clock is asked about, then it runs only while the case is dispatched, paused or not', () => {
    for (const status of STATUSES) {
      expect(isClockRunning('accept', status, null)).to.equal(status === 'dispatched');
      expect(isClockRunning('accept', status, now)).to.equal(status === 'dispatched');
      expect(isClockRunning('reply', status, now)).to.equal(false);
    }
  });
});
