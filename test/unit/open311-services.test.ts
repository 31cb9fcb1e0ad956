import { expect } from 'chai';
import fc from 'fast-check';
import { open311Status, withOffset } from '../../api/open311/open311.presenter.js';
import { CASE_TYPES, STATUSES } from '../../models/cases/case.js';
import { caseFilterOf, findService, OPEN311_CASE_TYPES, OPEN311_SERVICES, serviceOfCase } from '../../models/open311/services.js';

describe('Open311 services and statuses (pure)', () => {
  it('when a case of an offered type has any category, then exactly one service lists it, and that service selects it back', () => {
    fc.assert(
      fc.property(fc.constantFrom(...OPEN311_CASE_TYPES), fc.option(fc.constantFrom(...OPEN311_SERVICES.flatMap((s) => (s.category ? [s.category] : [])), '其他类别'), { nil: null }), (type, category) => {
        const service = serviceOfCase(type, category);
        expect(service?.caseType).to.equal(type);
        const filter = caseFilterOf(service as NonNullable<typeof service>);
        const selected = filter.category === null ? category === null || !filter.excludeCategories.includes(category) : filter.category === category;
        expect(selected).to.equal(true);
      }),
    );
  });

  it('when the catalogue is read, then codes are unique and petitions and disclosure requests are not offered', () => {
    const codes = OPEN311_SERVICES.map((s) => s.code);
    expect(new Set(codes).size).to.equal(codes.length);
    expect(OPEN311_CASE_TYPES).not.to.include('petition').and.not.to.include('disclosure');
    expect(serviceOfCase('petition', null)).to.equal(undefined);
    expect(findService('complaint-municipal')?.category).to.equal('市政设施');
    expect(CASE_TYPES.filter((t) => !OPEN311_CASE_TYPES.includes(t))).to.deep.equal(['petition', 'disclosure']);
  });

  it('when statuses are mapped, then a case is open until it is answered and closed after', () => {
    expect(STATUSES.map((s) => [s, open311Status(s)])).to.deep.equal([
      ['registered', 'open'],
      ['dispatched', 'open'],
      ['in_progress', 'open'],
      ['returned', 'open'],
      ['replied', 'closed'],
      ['closed', 'closed'],
    ]);
  });

  it('when a time is written with the offset, then it is the same instant in Asia/Shanghai', () => {
    expect(withOffset('2026-11-29T16:30:05.123Z')).to.equal('2026-11-30T00:30:05+08:00');
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (d) => {
        const written = withOffset(d.toISOString()) as string;
        expect(Math.floor(new Date(written).getTime() / 1000)).to.equal(Math.floor(d.getTime() / 1000));
      }),
    );
  });
});
