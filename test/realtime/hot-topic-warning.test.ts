import { expect } from 'chai';
import { checkRisingTerms } from '../../models/insights/hot-topics/rising-alerts.js';
import { buildCase, createStaff } from '../support/factories.js';
import type { StaffCaseEvent } from '../../realtime/events.js';
import { harness } from '../support/harness.js';
import { closeAllSockets, collect, connect, waitFor } from './sockets.js';

describe('hot-topic early warning over Socket.IO', () => {
  afterEach(closeAllSockets);

  it('when a hot-topic warning is written to the outbox, then the centre hears it and a handler does not', async () => {
    const supervisor = await createStaff('supervisor');
    const handler = await createStaff('handler', '371325105');
    const centre = await connect({ token: supervisor.token });
    const unit = await connect({ token: handler.token });
    const heard = collect(centre, 'centre:hot-topic');
    const overheard = collect(unit, 'centre:hot-topic');
    const unitAssigned = collect(unit, 'case:assigned') as StaffCaseEvent[];
    // Arrangement: the row checkRisingTerms writes for a term past its threshold.
    const payload = { term: '测试热词甲', count: 42, previous: 3, growth: 8.1, divisions: [], window: { hours: 24 } };
    await harness().pool.query(`INSERT INTO outbox (topic, payload) VALUES ('centre.hot-topic', $1)`, [payload]);
    await waitFor(() => heard.length > 0, 5_000, 'the centre hearing the warning');
    // The marker: a case the rules send to the handler's unit, written after the centre heard the
    // warning, so its emit follows the warning's in the stream every process delivers in order.
    const marker = await buildCase();
    await waitFor(() => unitAssigned.some((a) => a.caseId === marker.id), 10_000, 'the marker case at the unit');

    expect(heard[0]).to.deep.equal(payload);
    expect(overheard).to.deep.equal([]);
  });

  it('when the rising-term check finds nothing past its threshold, then it writes no warning', async () => {
    const { rows: before } = await harness().pool.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'centre.hot-topic'`);
    const alerts = await checkRisingTerms(harness().pool, new Date('2001-01-01T00:00:00Z'));
    const { rows: after } = await harness().pool.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'centre.hot-topic'`);
    expect(alerts).to.deep.equal([]);
    expect(after[0].n).to.equal(before[0].n);
  });
});
