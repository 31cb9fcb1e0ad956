import { expect } from 'chai';
import type { PublicCaseEvent } from '../../realtime/events.js';
import { buildCase, createStaff } from '../support/factories.js';
import { freshIp } from '../support/http.js';
import { act, closeAllSockets, collect, connect, eventIds, markCase, track, waitForMark, waitForPublished } from './sockets.js';

const TANYI = '371325105';

/** A query code that is certainly not `code`. */
const otherCode = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('citizen sockets: track a case by number and query code', () => {
  afterEach(closeAllSockets);

  it('when a citizen tracks with the right code, then the ack carries the public view and the socket gets each public event in order', async () => {
    const record = await buildCase();
    const handler = await createStaff('handler', TANYI);
    await waitForPublished(record.id);
    const citizen = await connect();
    const updates = collect(citizen, 'case:update') as PublicCaseEvent[];

    const ack = await track(citizen, { caseNo: record.caseNo, code: record.queryCode });
    await act(record.id, handler.token, { action: 'accept' });
    await act(record.id, handler.token, { action: 'reply', reply: '路灯已经修复，感谢您的反映' });
    const mark = await markCase(record.id);
    await waitForMark(updates, mark);

    expect(ack.ok).to.equal(true);
    const view = ack.ok ? ack.case : {};
    expect(view).to.include({ caseNo: record.caseNo, status: 'dispatched' });
    expect(view).to.not.have.any.keys('id', 'queryCode');
    expect((view.events as { action: string }[]).map((e) => e.action)).to.deep.equal(['register', 'dispatch']);
    expect(updates.map((u) => u.event.action)).to.deep.equal(['accept', 'reply', 'supervise']);
    expect(updates.map((u) => u.status)).to.deep.equal(['in_progress', 'replied', 'replied']);
    expect(updates.map((u) => u.event.id)).to.deep.equal((await eventIds(record.id, true)).slice(2));
    expect(updates[1]).to.deep.include({ caseNo: record.caseNo, statusLabel: '已答复', assignedUnit: { code: TANYI, name: updates[1]?.assignedUnit?.name } });
    expect(updates[1]?.event).to.include({ note: '路灯已经修复，感谢您的反映', status: 'replied' });
    for (const update of updates) expect(update).to.have.all.keys('caseNo', 'status', 'statusLabel', 'assignedUnit', 'event');
  });

  it('when a citizen tracks with a wrong code, then the ack is exactly that of an unknown case and no room is joined', async () => {
    const record = await buildCase();
    const handler = await createStaff('handler', TANYI);
    const citizen = await connect();
    const updates = collect(citizen, 'case:update');

    const wrong = await track(citizen, { caseNo: record.caseNo, code: otherCode(record.queryCode) });
    const unknown = await track(citizen, { caseNo: '209901019999999', code: record.queryCode });
    await act(record.id, handler.token, { action: 'accept' });
    await waitForPublished(record.id);
    // The marker: the right code joins the room now, so the accept, published before, came through a room joined by mistake or not at all.
    const right = await track(citizen, { caseNo: record.caseNo, code: record.queryCode });
    const mark = await markCase(record.id);
    await waitForMark(updates as PublicCaseEvent[], mark);

    expect(wrong).to.deep.equal({ ok: false, error: { code: 'not_found', message: 'Case not found' } });
    expect(unknown).to.deep.equal(wrong);
    expect(right.ok).to.equal(true);
    expect((updates as PublicCaseEvent[]).map((u) => u.event.action)).to.deep.equal(['supervise']);
  });

  it('when the track payload is malformed, then the ack names the failing fields', async () => {
    const citizen = await connect();

    const ack = await track(citizen, { caseNo: 'x', code: 123456, extra: true });

    expect(ack.ok).to.equal(false);
    if (ack.ok) return;
    expect(ack.error.code).to.equal('validation_failed');
    expect(ack.error.details?.map((d) => d.path)).to.have.members(['caseNo', 'code', 'extra']);
  });

  it('when a case gets an internal note, then the tracking citizen receives nothing of it and no contact data at all', async () => {
    const record = await buildCase({ citizen: { name: '王小明', phone: '13912345678', email: 'wang.xm@example.com' } });
    const handler = await createStaff('handler', TANYI);
    const operator = await createStaff('operator');
    await waitForPublished(record.id);
    const citizen = await connect();
    const received: unknown[] = [];
    citizen.onAny((name: string, ...args: unknown[]) => {
      if (name !== 'ready') received.push(args);
    });
    const updates = collect(citizen, 'case:update') as PublicCaseEvent[];

    const ack = await track(citizen, { caseNo: record.caseNo, code: record.queryCode });
    await act(record.id, handler.token, { action: 'return', reason: '内部备注：不属于本镇辖区，联系人王小明13912345678' });
    await act(record.id, operator.token, { action: 'dispatch', unitCode: TANYI, note: '内部备注：请探沂镇再核实' });
    const mark = await markCase(record.id);
    await waitForMark(updates, mark);

    const everything = JSON.stringify([ack, received]);
    expect(received.map((r) => (r as [PublicCaseEvent])[0].event.action)).to.deep.equal(['dispatch', 'supervise']);
    expect(everything).to.not.include('内部备注');
    expect(everything).to.not.include('13912345678');
    expect(everything).to.not.include('王小明');
    expect(everything).to.not.include('wang.xm');
    expect(everything).to.not.include(record.id);
  });

  it('when a client sends a message over 10 kB, then the server drops the connection', async () => {
    const citizen = await connect();
    const closed = new Promise<string>((resolve) => citizen.once('disconnect', (reason) => resolve(reason)));

    citizen.emit('track', { caseNo: '202611220000001', code: '123456', padding: 'x'.repeat(20_000) }, () => undefined);

    expect(await closed).to.equal('transport close');
  });

  it('when a staff socket sends track, then it is refused: staff hear cases through their rooms', async () => {
    const record = await buildCase();
    const staff = await connect({ token: (await createStaff('supervisor')).token });

    const ack = await track(staff, { caseNo: record.caseNo, code: record.queryCode });

    expect(ack).to.deep.include({ ok: false });
    expect(!ack.ok && ack.error.code).to.equal('forbidden');
  });

  it('when one connection tries more than 10 times in a minute, then the 11th is refused as rate limited even with the right code', async () => {
    const record = await buildCase();
    const citizen = await connect();

    const acks = [];
    for (let i = 0; i < 10; i += 1) acks.push(await track(citizen, { caseNo: record.caseNo, code: otherCode(record.queryCode) }));
    const eleventh = await track(citizen, { caseNo: record.caseNo, code: record.queryCode });

    expect(acks.map((a) => !a.ok && a.error.code)).to.deep.equal(Array(10).fill('not_found'));
    expect(eleventh).to.deep.equal({ ok: false, error: { code: 'rate_limited', message: 'Too many tracking attempts; try again later' } });
  });

  it('when one address spreads its attempts over new connections, then its 11th in a minute is refused too, and another address is not', async () => {
    // Two cases, so that neither takes enough wrong codes to be locked by itself.
    const [record, other] = await Promise.all([buildCase(), buildCase()]);
    const ip = freshIp();

    const codes = [];
    for (let i = 0; i < 10; i += 1) {
      const socket = await connect({ ip });
      const guessed = i % 2 === 0 ? record : other;
      const ack = await track(socket, { caseNo: guessed?.caseNo, code: otherCode(guessed?.queryCode) });
      codes.push(!ack.ok && ack.error.code);
      socket.disconnect();
    }
    const eleventh = await track(await connect({ ip }), { caseNo: record.caseNo, code: record.queryCode });
    const elsewhere = await track(await connect(), { caseNo: record.caseNo, code: record.queryCode });

    expect(codes).to.deep.equal(Array(10).fill('not_found'));
    expect(!eleventh.ok && eleventh.error.code).to.equal('rate_limited');
    expect(elsewhere.ok).to.equal(true);
  });

  it('when a connection tracks a sixth case, then it is refused, while tracking one of its five again is fine', async () => {
    const cases = await Promise.all(Array.from({ length: 6 }, () => buildCase()));
    const citizen = await connect();

    const acks = [];
    for (const record of cases.slice(0, 5)) acks.push(await track(citizen, { caseNo: record.caseNo, code: record.queryCode }));
    const sixth = await track(citizen, { caseNo: cases[5]?.caseNo, code: cases[5]?.queryCode });
    const again = await track(citizen, { caseNo: cases[0]?.caseNo, code: cases[0]?.queryCode });

    expect(acks.every((a) => a.ok)).to.equal(true);
    expect(!sixth.ok && sixth.error.code).to.equal('conflict');
    expect(again.ok).to.equal(true);
  });
});
