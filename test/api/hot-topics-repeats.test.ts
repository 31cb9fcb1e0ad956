import { expect } from 'chai';
import crypto from 'node:crypto';
import { RepeatCandidates } from '../../models/insights/hot-topics/repeat-candidates.js';
import { findRepeats } from '../../models/insights/hot-topics/repeats.js';
import { indexNewCaseTerms } from '../../models/insights/hot-topics/term-index.js';
import { buildCase, createStaff, type Staff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { request } from '../support/http.js';

const DAY = 86_400_000;
// Townships of 沂水县, which no other test files cases under.
const SHAJIANG = '371323103';
const XUJIAHU = '371323104';

async function indexAll(): Promise<void> {
  while ((await indexNewCaseTerms(harness().pool, 1000)).indexed > 0);
}

const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();
const phone = (): string => `137${crypto.randomInt(10_000_000, 99_999_999)}`;
type Case = Record<string, any>;

describe('repeated complaints and likely duplicates', () => {
  let operator: Staff;
  let supervisor: Staff;

  const intake = (overrides: Record<string, unknown>): Promise<Case> =>
    buildCase({ title: undefined, address: undefined, divisionCode: SHAJIANG, citizen: { phone: phone() }, ...overrides }, operator);

  before(async () => {
    operator = await createStaff('operator');
    supervisor = await createStaff('supervisor');
  });

  describe('GET /api/stats/repeats', () => {
    const category = `电梯-${crypto.randomBytes(3).toString('hex')}`;
    const lift: Case[] = [];
    let other: Case;
    let elsewhere: Case[];
    let uncategorised: Case[];

    before(async () => {
      for (let i = 0; i < 3; i += 1) lift.push(await intake({ category, content: `幸福小区3号楼电梯经常困人，物业不管${'！'.repeat(i)}`, receivedAt: ago((5 - i) * DAY) }));
      other = await intake({ category, content: '朝阳路口井盖松动，车辆经过响声很大', receivedAt: ago(2 * DAY) });
      elsewhere = [await intake({ category, divisionCode: XUJIAHU, content: '幸福小区3号楼电梯经常困人，物业不管', receivedAt: ago(DAY) })];
      uncategorised = [];
      for (let i = 0; i < 3; i += 1) uncategorised.push(await intake({ divisionCode: XUJIAHU, content: `沙河桥头路段积水严重，车辆无法通行${i}`, receivedAt: ago((3 - i) * DAY) }));
      await indexAll();
    });

    const repeats = async (query: string): Promise<Case[]> => {
      const res = await request('GET', `/api/stats/repeats?${query}`, { token: supervisor.token });
      expect(res.status, res.text).to.equal(200);
      return res.body.items as Case[];
    };

    it('when one township gets the same complaint in one category again and again, then the cases are one group with their dates and shared terms', async () => {
      const items = await repeats(`from=${ago(10 * DAY)}&division=371323`);

      const group = items.find((g) => g.category === category && g.divisionCode === SHAJIANG);
      // 电梯 (IDF 8.9) is the most specific term the three share; the 井盖 case shares none with them.
      expect(group).to.include({ count: 3, keyTerm: '电梯' });
      expect(group?.divisionName).to.be.a('string');
      expect(group?.caseNos).to.deep.equal(lift.map((c) => c.caseNo));
      expect(group?.firstReceivedAt).to.equal(lift[0]?.receivedAt);
      expect(group?.lastReceivedAt).to.equal(lift[2]?.receivedAt);
      expect(group?.commonTerms).to.include('电梯');
      expect(items.flatMap((g) => g.caseNos).filter((v) => [other.caseNo, elsewhere[0]?.caseNo].includes(v))).to.deep.equal([]);
    });

    it('when cases have no category, then the same township and alike text still make a group', async () => {
      const items = await repeats(`from=${ago(10 * DAY)}&division=${XUJIAHU}`);

      const group = items.find((g) => g.caseNos.includes(uncategorised[0]?.caseNo));
      expect(group).to.include({ category: null, count: 3, divisionCode: XUJIAHU, keyTerm: '桥头' });
      expect(group?.caseNos).to.deep.equal(uncategorised.map((c) => c.caseNo));
    });

    it('when minCases is above a group, or the period misses it, then it is not listed', async () => {
      expect((await repeats(`from=${ago(10 * DAY)}&division=371323&minCases=4`)).some((g) => g.category === category)).to.equal(false);
      expect((await repeats(`from=${ago(10 * DAY)}&to=${ago(4 * DAY)}&division=371323`)).some((g) => g.category === category)).to.equal(false);
    });

    it('when the period is longer than 92 days, or an operator asks, then 400 / 403', async () => {
      expect((await request('GET', `/api/stats/repeats?from=${ago(100 * DAY)}`, { token: supervisor.token })).status).to.equal(400);
      expect((await request('GET', '/api/stats/repeats', { token: operator.token })).status).to.equal(403);
    });
  });

  describe('the signatures read ahead at start', () => {
    it('when a process has read the past days ahead, then a request over them reads signatures only for the partial days at its ends, and groups as a fresh read does', async () => {
      const category = `噪音-${crypto.randomBytes(3).toString('hex')}`;
      for (const days of [4, 3, 2]) await intake({ category, content: `楼下烧烤店夜里噪音扰民${'！'.repeat(days)}`, receivedAt: ago(days * DAY) });
      await indexAll();
      const pool = harness().pool;
      const signatureReads: string[] = [];
      // The pool itself, noting each read of signatures.
      const counting = new Proxy(pool, {
        get: (target, property, receiver) =>
          property === 'query'
            ? (text: string, values?: unknown[]) => {
                if (text.includes('FROM case_signatures')) signatureReads.push(String(values?.[0]));
                return target.query(text, values);
              }
            : Reflect.get(target, property, receiver),
      });
      const now = new Date();
      const period = { from: new Date(now.getTime() - 6 * DAY), to: now };

      const warmed = new RepeatCandidates();
      await warmed.warm(pool, now, 10);
      const answer = await findRepeats(counting, warmed, period, { divisionPrefix: SHAJIANG, limit: 50, casesPerGroup: 50, minCases: 2 });

      // The period's first partial day and today: two reads; without the warm-up the whole days between come too.
      expect(signatureReads).to.have.length(2);
      const cold = await findRepeats(pool, new RepeatCandidates(), period, { divisionPrefix: SHAJIANG, limit: 50, casesPerGroup: 50, minCases: 2 });
      expect(answer).to.deep.equal(cold);
      expect(answer.find((g) => g.category === category)).to.include({ count: 3 });
    });
  });

  describe('GET /api/stats/repeats, asked again after the days it read have changed', () => {
    let admin: Staff;
    const repeatOf = async (category: string): Promise<Case | undefined> => {
      const res = await request('GET', `/api/stats/repeats?from=${ago(10 * DAY)}&division=${SHAJIANG}`, { token: supervisor.token });
      expect(res.status, res.text).to.equal(200);
      return (res.body.items as Case[]).find((g) => g.category === category);
    };
    const watchList = (terms: { term: string }[]) =>
      request('PUT', '/api/stats/hot-topics/watch-list', { token: admin.token, body: { growth: 3, minCount: 10, windowHours: 24, allTerms: true, terms } });

    before(async () => {
      admin = await createStaff('admin');
    });

    after(async () => {
      expect((await watchList([])).status).to.equal(200);
    });

    it('when a case received on a day already read is indexed later, then the next answer counts it, in order of receipt', async () => {
      const category = `排水-${crypto.randomBytes(3).toString('hex')}`;
      const drains: Case[] = [];
      for (const days of [6, 5, 4]) drains.push(await intake({ category, content: `门口排水沟堵塞发臭${'！'.repeat(days)}`, receivedAt: ago(days * DAY) }));
      await indexAll();
      expect(await repeatOf(category)).to.include({ count: 3 });

      const late = await intake({ category, content: '门口排水沟堵塞发臭，没人管', receivedAt: ago(5 * DAY - 3_600_000) });
      await indexAll();

      const group = await repeatOf(category);
      expect(group).to.include({ count: 4 });
      expect(group?.caseNos).to.deep.equal([drains[0], drains[1], late, drains[2]].map((c) => c?.caseNo));
    });

    it('when a newly watched term is found in cases already read, then the next answer groups them on it', async () => {
      const category = `停车-${crypto.randomBytes(3).toString('hex')}`;
      // Not a jieba word: until it is watched, these cases hold only 共享 and 单车.
      const phrase = '共享单车乱停';
      for (const days of [6, 5, 4]) await intake({ category, content: `又${phrase}了${'！'.repeat(days)}`, receivedAt: ago(days * DAY) });
      await indexAll();
      expect(await repeatOf(category)).to.include({ count: 3, keyTerm: '单车' });

      expect((await watchList([{ term: phrase }])).status).to.equal(200);
      await indexAll();

      expect(await repeatOf(category)).to.include({ count: 3, keyTerm: phrase });
    });
  });

  describe('likely duplicates (GET /api/cases/{id}/duplicates, GET /api/stats/duplicates)', () => {
    const caller = phone();
    const text = '我家楼下的烧烤摊每天营业到凌晨两点，油烟和噪音扰民，多次反映没人管';
    const nearly = '我家楼下烧烤摊每天营业到凌晨两点，油烟和噪音扰民，多次反映都没人管！';
    let first: Case;
    let repeat: Case;
    let eightDaysEarlier: Case;
    let otherCaller: Case;
    let otherMatter: Case;

    before(async () => {
      first = await intake({ content: text, receivedAt: ago(3 * DAY), citizen: { phone: caller } });
      repeat = await intake({ content: nearly, receivedAt: ago(DAY), citizen: { phone: caller } });
      eightDaysEarlier = await intake({ content: text, receivedAt: ago(11 * DAY), citizen: { phone: caller } });
      otherCaller = await intake({ content: text, receivedAt: ago(2 * DAY) });
      otherMatter = await intake({ content: '小区南门的路灯坏了半个月，晚上一片漆黑', receivedAt: ago(2 * DAY), citizen: { phone: caller } });
      await indexAll();
    });

    const duplicatesOf = async (c: Case, token = supervisor.token): Promise<Case> => {
      const res = await request('GET', `/api/cases/${c.id}/duplicates`, { token });
      expect(res.status, res.text).to.equal(200);
      return res.body as Case;
    };

    it('when the same phone sends near-identical text within 7 days, then each case lists the other with its similarity', async () => {
      const later = await duplicatesOf(repeat);
      const earlier = await duplicatesOf(first);

      expect(later).to.include({ id: repeat.id, caseNo: repeat.caseNo, indexed: true });
      expect(later.candidates).to.have.length(1);
      expect(later.candidates[0]).to.include({ id: first.id, caseNo: first.caseNo, relation: 'earlier' });
      expect(later.candidates[0].similarity).to.be.within(0.8, 1);
      expect(earlier.candidates.map((c: Case) => [c.id, c.relation])).to.deep.equal([[repeat.id, 'later']]);
    });

    it('when the same text came 8 days apart, from another phone, or the same phone wrote about something else, then it is not a duplicate', async () => {
      expect((await duplicatesOf(eightDaysEarlier)).candidates).to.deep.equal([]);
      expect((await duplicatesOf(otherCaller)).candidates).to.deep.equal([]);
      expect((await duplicatesOf(otherMatter)).candidates).to.deep.equal([]);
    });

    it('when a case is not indexed yet, then the caller\'s indexed cases are compared at once', async () => {
      const third = await intake({ content: text, citizen: { phone: caller } });

      const found = await duplicatesOf(third);

      expect(found.candidates.map((c: Case) => c.id)).to.include.members([first.id, repeat.id]);
      expect(found.candidates.map((c: Case) => c.id)).to.not.include(eightDaysEarlier.id);
      await indexAll();
    });

    it('when the centre lists duplicates for a period, then the pair is there with both cases, and the others are not', async () => {
      const res = await request('GET', `/api/stats/duplicates?from=${ago(5 * DAY)}&division=371323`, { token: supervisor.token });

      expect(res.status).to.equal(200);
      const pair = res.body.items.find((p: Case) => p.case.id === repeat.id);
      expect(pair.duplicateOf).to.include({ id: first.id, caseNo: first.caseNo });
      expect(pair.similarity).to.be.at.least(0.8);
      const involved = res.body.items.flatMap((p: Case) => [p.case.id, p.duplicateOf.id]);
      expect(involved.filter((v: string) => [eightDaysEarlier.id, otherCaller.id, otherMatter.id].includes(v))).to.deep.equal([]);
    });

    it('when a handler of another unit asks for a case\'s duplicates, then the case is not found', async () => {
      const outsider = await createStaff('handler', '371311');

      const res = await request('GET', `/api/cases/${repeat.id}/duplicates`, { token: outsider.token });

      expect(res.status).to.equal(404);
    });
  });
});
