import crypto from 'node:crypto';
import { expect } from 'chai';
import { buildCase, createStaff, type Staff } from '../support/factories.js';
import { request } from '../support/http.js';

interface Listed {
  id: string;
  deadlines: { acceptBy: string | null; replyBy: string | null };
  receivedAt: string;
}

describe('GET /api/cases sorted by the server: the table sorts the whole list, page by page', function () {
  this.timeout(30_000);
  let operator: Staff;
  const mark = `排序${crypto.randomBytes(3).toString('hex')}`;
  const ids: Record<'emergency' | 'urgent' | 'normal' | 'waiting', string> = { emergency: '', urgent: '', normal: '', waiting: '' };

  before(async () => {
    operator = await createStaff('operator');
    ids.normal = (await buildCase({ content: `路灯不亮 ${mark}` }, operator)).id;
    ids.emergency = (await buildCase({ content: `路灯不亮 ${mark}`, urgency: 'emergency' }, operator)).id;
    ids.urgent = (await buildCase({ content: `路灯不亮 ${mark}`, urgency: 'urgent' }, operator)).id;
    // No rule matches and no place is named: it waits for the centre, with no acceptance deadline.
    ids.waiting = (await buildCase({ title: '反映情况', content: `想反映一个情况 ${mark}`, address: undefined }, operator)).id;
  });

  async function walk(query: string, limit = 2): Promise<Listed[]> {
    const seen: Listed[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await request('GET', `/api/cases?q=${encodeURIComponent(mark)}&limit=${limit}&${query}${after}`, { token: operator.token });
      expect(res.status, res.text).to.equal(200);
      seen.push(...(res.body.items as Listed[]));
      cursor = res.body.nextCursor as string | null;
      if (!cursor) break;
    }
    return seen;
  }

  it('when sorted by reply deadline, soonest first, then the emergency comes first across pages and every case comes once', async () => {
    const listed = await walk('sort=replyBy&order=asc');

    expect(listed.map((c) => c.id).slice(0, 2)).to.deep.equal([ids.emergency, ids.urgent]);
    expect(new Set(listed.map((c) => c.id))).to.deep.equal(new Set(Object.values(ids)));
    const dues = listed.map((c) => Date.parse(c.deadlines.replyBy ?? ''));
    expect(dues).to.deep.equal([...dues].sort((a, b) => a - b));
  });

  it('when sorted by acceptance deadline, latest first, then the case with none (waiting for the centre) leads; ascending it comes last', async () => {
    const descending = await walk('sort=acceptBy&order=desc');
    const ascending = await walk('sort=acceptBy&order=asc', 3);

    expect(descending[0]?.id).to.equal(ids.waiting);
    expect(descending[0]?.deadlines.acceptBy).to.equal(null);
    expect(ascending.at(-1)?.id).to.equal(ids.waiting);
    expect(ascending).to.have.length(4);
  });

  it('when sorted by receipt, oldest first, then the order is that of receivedAt', async () => {
    const listed = await walk('sort=receivedAt&order=asc', 3);

    expect(listed.map((c) => c.id)).to.deep.equal([ids.normal, ids.emergency, ids.urgent, ids.waiting]);
  });

  it('when a cursor of one order is used with another, or the sort is unknown, then 400 names the parameter', async () => {
    const first = await request('GET', `/api/cases?q=${encodeURIComponent(mark)}&limit=1&sort=replyBy&order=asc`, { token: operator.token });
    const mixed = await request('GET', `/api/cases?q=${encodeURIComponent(mark)}&limit=1&sort=acceptBy&order=asc&cursor=${first.body.nextCursor}`, { token: operator.token });
    const unknown = await request('GET', '/api/cases?sort=title', { token: operator.token });

    expect(mixed.status).to.equal(400);
    expect(mixed.body.error.details[0].path).to.equal('query.cursor');
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error.details[0].path).to.equal('query.sort');
  });
});
