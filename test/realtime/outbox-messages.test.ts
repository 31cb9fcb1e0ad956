import { expect } from 'chai';
import type { CaseEvent } from '../../models/cases/case.js';
import { createUnitDirectory } from '../../models/org/unit-directory.js';
import type { CaseEventName } from '../../realtime/events.js';
import { emitOutboxMessage, type OutboxMessage } from '../../realtime/outbox-messages.js';

const units = createUnitDirectory([
  { code: '3713', name: '临沂市', shortName: '临沂', kind: 'city', parentCode: null, path: '3713/', disabled: false },
  { code: '371325', name: '费县', shortName: '费县', kind: 'county', parentCode: '3713', path: '3713/371325/', disabled: false },
  { code: '371325105', name: '探沂镇', shortName: '探沂', kind: 'township', parentCode: '371325', path: '3713/371325/371325105/', disabled: false },
  { code: '371302', name: '兰山区', shortName: '兰山', kind: 'county', parentCode: '3713', path: '3713/371302/', disabled: false },
]);

function message(topic: string, event: Partial<CaseEvent>, coUnits: string[] = []): OutboxMessage {
  return {
    outboxId: 1,
    topic,
    caseId: '6f1c2a4e-0000-4000-8000-000000000001',
    caseNo: '202611220000001',
    coUnits,
    citizenName: '王建国',
    event: {
      id: 42,
      caseId: '6f1c2a4e-0000-4000-8000-000000000001',
      action: topic.replace('case.', ''),
      fromStatus: 'dispatched',
      toStatus: 'in_progress',
      actorId: '0b6f6f4e-0000-4000-8000-000000000002',
      actorRole: 'handler',
      actorUnit: '371325105',
      unitCode: '371325105',
      note: '已签收，联系人13812341234',
      data: {},
      public: true,
      createdAt: new Date('2026-11-22T08:00:00Z'),
      ...event,
    },
  };
}

function emitted(m: OutboxMessage): { name: CaseEventName; rooms: string[]; payload: Record<string, unknown> }[] {
  const out: { name: CaseEventName; rooms: string[]; payload: Record<string, unknown> }[] = [];
  emitOutboxMessage(m, units, (rooms, name, payload) => out.push({ name, rooms: [...rooms].sort(), payload: payload as unknown as Record<string, unknown> }));
  return out;
}

describe('outbox rows as socket events (emitOutboxMessage)', () => {
  it('when a public event of a township case is relayed, then staff of the township and every unit above, the centre and the case room hear it', () => {
    const out = emitted(message('case.accept', {}));

    expect(out.map((e) => [e.name, e.rooms])).to.deep.equal([
      ['case:update', ['centre', 'unit:3713', 'unit:371325', 'unit:371325105']],
      ['case:update', ['case:6f1c2a4e-0000-4000-8000-000000000001']],
    ]);
    expect(out[1]?.payload).to.have.all.keys('caseNo', 'status', 'statusLabel', 'assignedUnit', 'event');
    expect(out[1]?.payload.event).to.not.have.any.keys('actor', 'data', 'public', 'fromStatus');
    expect(JSON.stringify(out[1]?.payload)).to.not.include('13812341234').and.not.include('0b6f6f4e');
  });

  it('when a public note names the citizen and carries contact details, then the case room hears them masked and staff hear them whole', () => {
    const note = '已联系王建国（139-1234-5678，邮箱 wjg@example.com，微信号：wjg_linyi），邻居赵卫东也反映过';
    const out = emitted(message('case.reply', { note, toStatus: 'replied' }));

    const citizen = JSON.stringify(out.find((e) => e.rooms.includes('case:6f1c2a4e-0000-4000-8000-000000000001'))?.payload);
    const staff = JSON.stringify(out.find((e) => e.rooms.includes('centre'))?.payload);
    for (const secret of ['王建国', '1234-5678', '12345678', 'wjg@example.com', 'wjg_linyi', '赵卫东']) expect(citizen).to.not.include(secret);
    expect(citizen).to.include('王**').and.include('139****5678').and.include('赵**');
    expect(staff).to.include(note);
  });

  it('when a township disputes a dispatch naming another unit, then that unit hears it and every later event of the case until the centre decides', () => {
    const disputed = emitted(message('case.dispute_dispatch', { public: false, toStatus: 'dispatched', data: { disputedBy: '371325105', suggestedUnitCode: '371302', arbitrateBy: '2026-11-29T16:00:00.000Z' } }));
    expect(disputed.map((e) => [e.name, e.rooms])).to.deep.equal([['case:update', ['centre', 'unit:3713', 'unit:371302', 'unit:371325', 'unit:371325105']]]);
    const later = emitted({ ...message('case.accept', { public: false }), disputedWith: '371302' });
    expect(later[0]?.rooms).to.include('unit:371302');
  });

  it('when an internal event is relayed, then the case room hears nothing', () => {
    const out = emitted(message('case.return', { public: false, unitCode: null, toStatus: 'returned', note: '内部备注' }));

    expect(out.map((e) => [e.name, e.rooms])).to.deep.equal([['case:update', ['centre']]]);
  });

  it('when a dispatch with a co-handling unit is relayed, then case:assigned goes to both units and those above, not to the centre', () => {
    const out = emitted(message('case.dispatch', { toStatus: 'dispatched' }, ['371302']));

    expect(out.find((e) => e.name === 'case:assigned')?.rooms).to.deep.equal(['unit:3713', 'unit:371302', 'unit:371325', 'unit:371325105']);
  });

  it('when a forward, a reopen, a 复查 or a 复核 is relayed, then case:assigned goes to the new unit', () => {
    for (const topic of ['case.forward', 'case.reopen', 'case.review', 'case.re_review']) {
      expect(emitted(message(topic, {})).filter((e) => e.name === 'case:assigned').map((e) => e.rooms)).to.deep.equal([['unit:3713', 'unit:371325', 'unit:371325105']]);
    }
  });

  it('when deadline rows are relayed, then each raises its own event to the staff rooms and the centre', () => {
    const names = ['case.deadline-warning', 'case.overdue', 'case.escalated'].map((topic) => emitted(message(topic, { public: false, data: { toUnit: '371325' } })));

    expect(names.map((out) => out.map((e) => e.name))).to.deep.equal([
      ['case:update', 'case:deadline-warning'],
      ['case:update', 'case:overdue'],
      ['case:update', 'case:escalated'],
    ]);
    for (const out of names) expect(out[1]?.rooms).to.deep.equal(['centre', 'unit:3713', 'unit:371325', 'unit:371325105']);
  });

  it('when a case without a unit gets an assignment topic, then nothing is emitted to an empty room list', () => {
    const out = emitted(message('case.reopen', { unitCode: null }));

    expect(out.every((e) => e.rooms.length > 0)).to.equal(true);
  });
});
