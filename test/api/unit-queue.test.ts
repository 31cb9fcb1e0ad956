import { expect } from 'chai';
import crypto from 'node:crypto';
import { listCases, type CaseFilter } from '../../models/cases/case-query.js';
import { buildCase, createStaff, type Staff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { request, type TestResponse } from '../support/http.js';

// 平邑县: its townships, a county department, and a unit of another county co-handling with it.
const PINGYI = '371326';
const [PINGYI_TOWN, BAOTAI_TOWN] = ['371326001', '371326101'];
const PINGYI_HOUSING = `${PINGYI}-zhujian`;
const ELSEWHERE = '371302';

async function act(by: Staff, caseId: string, body: Record<string, unknown>): Promise<void> {
  const res = await request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });
  if (res.status !== 200) throw new Error(`${String(body.action)} failed: ${res.status} ${res.text}`);
}

/** Every page of a listing, following its cursor, as the ids in order. */
async function allPages(by: Staff, query: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const path: string = `/api/cases?${query}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res: TestResponse<{ items: { id: string }[]; nextCursor: string | null }> = await request('GET', path, { token: by.token });
    expect(res.status, res.text).to.equal(200);
    ids.push(...res.body.items.map((c) => c.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  return ids;
}

describe('a unit’s queue over its subtree (one page per unit and status, then the page)', () => {
  let county: Staff;
  let supervisor: Staff;
  const arranged: string[] = [];
  let coHandled = '';

  before(async () => {
    county = await createStaff('handler', PINGYI);
    supervisor = await createStaff('supervisor');
    const town = await createStaff('handler', PINGYI_TOWN);
    for (const unit of [PINGYI_TOWN, BAOTAI_TOWN, PINGYI_HOUSING, PINGYI_TOWN, BAOTAI_TOWN, PINGYI_TOWN]) {
      arranged.push((await buildCase({ dispatchTo: unit, address: '临沂市平邑县平邑街道' })).id);
    }
    // Two of them taken up (in_progress) and one answered (out of the open queue).
    await act(town, arranged[0] ?? '', { action: 'accept' });
    await act(town, arranged[3] ?? '', { action: 'accept' });
    await act(town, arranged[5] ?? '', { action: 'accept' });
    await act(town, arranged[5] ?? '', { action: 'reply', reply: '已处理完毕' });
    const shared = await buildCase({ address: '临沂市兰山区' });
    await act(supervisor, shared.id, { action: 'dispatch', unitCode: ELSEWHERE, coUnits: [BAOTAI_TOWN] });
    coHandled = shared.id;
  });

  for (const order of ['desc', 'asc'] as const) {
    it(`when the county pages through its open queue (${order}), then it gets exactly what the general listing gives, co-handled cases included`, async () => {
      const queue = await allPages(county, `status=dispatched,in_progress&order=${order}`);
      // A receipt bound that excludes nothing takes the general query: the two must agree.
      const general = await allPages(county, `status=dispatched,in_progress&order=${order}&from=2000-01-01T00:00:00Z`);
      expect(queue).to.deep.equal(general);
      expect(queue).to.include.members([...arranged.slice(0, 5), coHandled]);
      expect(queue).to.not.include(arranged[5]);
      expect(new Set(queue).size, 'no case twice').to.equal(queue.length);
    });
  }

  it('when the county pages through all its cases (全部), then it gets what the general listing gives, the answered one included', async () => {
    const all = await allPages(county, 'order=desc');
    expect(all).to.deep.equal(await allPages(county, 'order=desc&from=2000-01-01T00:00:00Z'));
    expect(all).to.include.members([...arranged, coHandled]);
    expect(new Set(all).size, 'no case twice').to.equal(all.length);
  });

  it('when the county asks for dispatched cases only, then the ones it took up are not listed', async () => {
    const dispatched = await allPages(county, 'status=dispatched');
    expect(dispatched).to.include.members([arranged[1], arranged[2], arranged[4], coHandled]);
    expect(dispatched.filter((v) => [arranged[0], arranged[3]].includes(v))).to.deep.equal([]);
    expect(dispatched).to.deep.equal(await allPages(county, 'status=dispatched&from=2000-01-01T00:00:00Z'));
  });

  it('when a township asks, then only its own cases and those it co-handles are listed', async () => {
    const baotai = await createStaff('handler', BAOTAI_TOWN);
    const mine = await allPages(baotai, 'status=dispatched,in_progress');
    expect(mine).to.include.members([arranged[1], arranged[4], coHandled]);
    expect(mine.filter((v) => [arranged[0], arranged[2], arranged[3]].includes(v))).to.deep.equal([]);
  });
});

describe('a unit’s keyword search (its newest cases first, then the text index)', () => {
  const word = `标记${crypto.randomBytes(3).toString('hex')}`;
  const mentioning: string[] = [];
  let township: Staff;

  /** Every page of a search straight from the model, with a window of `window` newest cases. */
  async function searchPages(filter: Omit<CaseFilter, 'limit'>, window: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor: CaseFilter['cursor'];
    do {
      const page = await listCases(harness().pool, { ...filter, limit: 2, cursor }, window);
      ids.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  }

  before(async () => {
    township = await createStaff('handler', BAOTAI_TOWN);
    const supervisor = await createStaff('supervisor');
    // Newest last: cases with and without the word, interleaved, and one co-handled with it.
    for (let i = 0; i < 12; i += 1) {
      const mentions = i % 3 !== 1;
      const created = await buildCase({ dispatchTo: BAOTAI_TOWN, address: '临沂市平邑县保太镇', content: mentions ? `路口${word}井盖松动，第${i}次反映` : `路口井盖松动，第${i}次反映` });
      if (mentions) mentioning.unshift(created.id);
    }
    const shared = await buildCase({ address: '临沂市兰山区', content: `兰山区路口${word}积水` });
    await act(supervisor, shared.id, { action: 'dispatch', unitCode: ELSEWHERE, coUnits: [BAOTAI_TOWN] });
    mentioning.unshift(shared.id);
    await act(township, mentioning[1] ?? '', { action: 'accept' });
  });

  for (const window of [3, 5, 8, 1000]) {
    it(`when a township pages through a search with a window of ${window} newest cases, then it gets exactly what the text index gives`, async () => {
      const filter = { unitCodes: [BAOTAI_TOWN], q: word };
      // A receipt bound that excludes nothing takes the general query.
      const general = await searchPages({ ...filter, receivedFrom: new Date('2000-01-01T00:00:00Z') }, window);
      expect(general).to.deep.equal(mentioning);
      expect(await searchPages(filter, window)).to.deep.equal(general);
      const dispatched = await searchPages({ ...filter, status: ['dispatched'] }, window);
      expect(dispatched).to.deep.equal(mentioning.filter((id) => id !== mentioning[1]));
      expect(await searchPages({ ...filter, sort: { key: 'createdAt', direction: 'asc' } }, window)).to.deep.equal([...mentioning].reverse());
    });
  }

  it('when a township handler searches through the API, then the pages are those of the general query', async () => {
    const query = `q=${encodeURIComponent(word)}`;
    expect(await allPages(township, query)).to.deep.equal(mentioning);
    expect(await allPages(township, `${query}&from=2000-01-01T00:00:00Z`)).to.deep.equal(mentioning);
  });
});
