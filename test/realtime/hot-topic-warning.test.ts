import { expect } from 'chai';
import { checkRisingTerms } from '../../models/insights/hot-topics/rising-alerts.js';
import { buildCase, createStaff, type Staff } from '../support/factories.js';
import type { StaffCaseEvent } from '../../realtime/events.js';
import { harness } from '../support/harness.js';
import { request } from '../support/http.js';
import { eventually } from '../support/deadline-cases.js';
import { closeAllSockets, collect, connect, waitFor } from './sockets.js';

const DEFAULTS = { growth: 3, minCount: 10, windowHours: 24, allTerms: true, terms: [] };

async function watchList(admin: Staff, body: Record<string, unknown>): Promise<void> {
  const res = await request('PUT', '/api/stats/hot-topics/watch-list', { token: admin.token, body });
  if (res.status !== 200) throw new Error(`watch list: ${res.status} ${res.text}`);
}

describe('hot-topic early warning over Socket.IO', () => {
  afterEach(closeAllSockets);

  it('when a watched term passes its threshold, then the centre hears the warning and a handler does not', async () => {
    const admin = await createStaff('admin');
    const operator = await createStaff('operator');
    const supervisor = await createStaff('supervisor');
    const handler = await createStaff('handler', '371325105');
    // A word no other test writes, so that only these cases count towards it.
    const term = '测试热词甲';
    await watchList(admin, { ...DEFAULTS, allTerms: false, terms: [{ term, growth: 1, minCount: 3 }] });
    try {
      for (let i = 0; i < 3; i += 1) await buildCase({ content: `小区里${term}问题又出现了（第${i}次）`, title: undefined }, operator);
      await eventually(async () => {
        const list = await request('GET', '/api/stats/hot-topics/watch-list', { token: supervisor.token });
        const res = await request('GET', `/api/stats/hot-topics?from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date().toISOString())}`, { token: supervisor.token });
        const watched = (res.body.watched ?? []).find((w: { term: string }) => w.term === term);
        return list.body.terms?.[0]?.backfilled === true && watched?.current === 3 ? true : undefined;
      }, 20_000, 'the indexer counting the three cases');
      const centre = await connect({ token: supervisor.token });
      const unit = await connect({ token: handler.token });
      const heard = collect(centre, 'centre:hot-topic') as { term: string }[];
      const overheard = collect(unit, 'centre:hot-topic');
      const unitAssigned = collect(unit, 'case:assigned') as StaffCaseEvent[];

      const alerts = await checkRisingTerms(harness().pool, new Date());

      expect(alerts.map((a) => a.term)).to.deep.equal([term]);
      await waitFor(() => heard.some((h) => h.term === term), 5_000, 'the centre hearing the warning');
      // The marker: a case the rules send to the handler's unit, written after the centre heard the
      // warning, so its emit follows the warning's in the stream every process delivers in order.
      const marker = await buildCase();
      await waitFor(() => unitAssigned.some((a) => a.caseId === marker.id), 10_000, 'the marker case at the unit');
      expect(heard.find((h) => h.term === term)).to.deep.equal(alerts[0]);
      expect(overheard).to.deep.equal([]);
    } finally {
      await watchList(admin, DEFAULTS);
    }
  });

  it('when the rising-term check finds nothing past its threshold, then it writes no warning', async () => {
    const { rows: before } = await harness().pool.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'centre.hot-topic'`);
    const alerts = await checkRisingTerms(harness().pool, new Date('2001-01-01T00:00:00Z'));
    const { rows: after } = await harness().pool.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'centre.hot-topic'`);
    expect(alerts).to.deep.equal([]);
    expect(after[0].n).to.equal(before[0].n);
  });
});
