import { expect } from 'chai';
import crypto from 'node:crypto';
import { checkRisingTerms, HOT_TOPIC_TOPIC } from '../../models/insights/hot-topics/rising-alerts.js';
import { indexNewCaseTerms, TERM_INDEX_LOCK_KEY } from '../../models/insights/hot-topics/term-index.js';
import { buildCase, createStaff, type Staff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { request } from '../support/http.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Townships of 临沭县 and 蒙阴县, which no other test files cases under.
const QINGYUN = '371329108';
const YUSHAN = '371329109';
const MENGYIN_TOWN = '371328103';
// Words no other test uses: the shared database holds every test's cases.
const SURGE = '化粪池';
const TRICKLE = '渣土';
const WATCHED = '飞线充电';

/** Indexes every queued case, as the worker's loop does. */
async function indexAll(): Promise<void> {
  while ((await indexNewCaseTerms(harness().pool, 1000)).indexed > 0);
}

const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();
const phone = (): string => `139${crypto.randomInt(10_000_000, 99_999_999)}`;

describe('hot topics (GET /api/stats/hot-topics, watch list, early warning)', () => {
  let operator: Staff;
  let supervisor: Staff;
  let admin: Staff;
  const category = `粪污-${crypto.randomBytes(3).toString('hex')}`;
  const surgeNow: string[] = [];

  const intake = async (content: string, receivedAt: string, divisionCode: string, extra: Record<string, unknown> = {}): Promise<string> => {
    // The previous window lies more than 30 days back: its intake records why.
    const c = await buildCase({ content, receivedAt, receivedAtReason: '补录历史来电', divisionCode, title: undefined, address: undefined, citizen: { phone: phone() }, ...extra }, operator);
    return c.caseNo as string;
  };

  before(async () => {
    operator = await createStaff('operator');
    supervisor = await createStaff('supervisor');
    admin = await createStaff('admin');
    // 化粪池: 4 cases the previous two days, 12 the last two (8 in 青云镇, 4 in 玉山镇); 渣土: 1, then 3.
    for (let i = 0; i < 4; i += 1) await intake(`小区化粪池满溢第${i}次，污水横流`, ago(3 * DAY + i * HOUR), QINGYUN, { category });
    for (let i = 0; i < 12; i += 1) {
      surgeNow.push(await intake(`楼下化粪池堵了${i}天，臭气熏天`, ago(DAY - i * HOUR), i < 8 ? QINGYUN : YUSHAN, { category }));
    }
    // Five more six to seven weeks ago: inside the whole months of a 100-day period (monthly rollups).
    for (let i = 0; i < 5; i += 1) await intake(`化粪池清掏不及时${i}`, ago((45 + i) * DAY), QINGYUN, { category });
    await intake('渣土车撒漏，道路扬尘', ago(3 * DAY), QINGYUN);
    for (let i = 0; i < 3; i += 1) await intake(`渣土车夜间撒漏${i}`, ago(DAY + i * HOUR), YUSHAN);
    await indexAll();
  });

  const hotTopics = (query: string, token = supervisor.token) => request('GET', `/api/stats/hot-topics?${query}`, { token });
  const lastTwoDays = (): string => `from=${ago(2 * DAY)}&to=${ago(0)}&limit=100&minCount=3`;

  it('when a term is mentioned more than in the period before, then its counts, growth and change are given', async () => {
    const res = await hotTopics(lastTwoDays());

    expect(res.status).to.equal(200);
    const surge = res.body.terms.find((t: { term: string }) => t.term === SURGE);
    expect(surge).to.include({ current: 12, previous: 4, change: 8, growth: Math.round((17 / 9) * 1000) / 1000 });
    expect(res.body.smoothing).to.equal(5);
    expect(new Date(res.body.previousPeriod.to).getTime()).to.equal(new Date(res.body.period.from).getTime());
  });

  it('when the series are asked for, then each rising term carries its cases per day, the same as GET /api/stats/term-series gives', async () => {
    const period = { from: ago(2 * DAY), to: ago(0) };
    const res = await hotTopics(`from=${period.from}&to=${period.to}&limit=100&minCount=3&series=true`);
    const plain = await hotTopics(`from=${period.from}&to=${period.to}&limit=100&minCount=3`);

    expect(res.status).to.equal(200);
    const surge = res.body.terms.find((t: { term: string }) => t.term === SURGE);
    expect(surge.series).to.have.length(res.body.days.length);
    expect(surge.series.reduce((sum: number, n: number) => sum + n, 0), 'the 12 cases of the period').to.equal(12);
    // term-series takes at most 30 terms; the shared database may give more.
    const compared = res.body.terms.slice(0, 30).map((t: { term: string; series: number[] }) => ({ term: t.term, counts: t.series }));
    const terms = compared.map((t: { term: string }) => t.term).join(',');
    const series = await request('GET', `/api/stats/term-series?terms=${encodeURIComponent(terms)}&from=${period.from}&to=${period.to}`, { token: supervisor.token });
    expect(series.status).to.equal(200);
    expect(res.body.days).to.deep.equal(series.body.days);
    expect(compared).to.deep.equal(series.body.items);
    expect(plain.body.days, 'only when asked for').to.equal(undefined);
    expect(plain.body.terms[0]).to.not.have.property('series');
    expect((await hotTopics('series=sometimes')).status).to.equal(400);
  });

  it('when one term rises 4 -> 12 and another 1 -> 3, then the larger rise ranks above the few mentions', async () => {
    const res = await hotTopics(lastTwoDays());

    const order = res.body.terms.map((t: { term: string }) => t.term);
    expect(res.body.terms.find((t: { term: string }) => t.term === TRICKLE)).to.include({ current: 3, previous: 1 });
    expect(order.indexOf(SURGE)).to.be.lessThan(order.indexOf(TRICKLE));
  });

  it('when a term clusters, then its townships and counties are listed with counts, and its latest case numbers are examples', async () => {
    const res = await hotTopics(lastTwoDays());

    const surge = res.body.terms.find((t: { term: string }) => t.term === SURGE);
    expect(surge.divisions.slice(0, 2)).to.deep.equal([
      { code: QINGYUN, name: surge.divisions[0].name, count: 8 },
      { code: YUSHAN, name: surge.divisions[1].name, count: 4 },
    ]);
    expect(surge.divisions[0].name).to.be.a('string');
    expect(surge.counties[0]).to.include({ code: '371329', count: 12 });
    // The newest three: received 1 day minus 11, 10 and 9 hours ago.
    expect(surge.examples).to.deep.equal([surgeNow[11], surgeNow[10], surgeNow[9]]);
  });

  it('when a category rises, then it is ranked among the categories', async () => {
    const res = await hotTopics(lastTwoDays());

    expect(res.body.categories.find((c: { term: string }) => c.term === category)).to.include({ current: 12, previous: 4 });
  });

  it('when asked for one township, then only its cases are counted', async () => {
    const res = await hotTopics(`${lastTwoDays()}&division=${YUSHAN}`);

    expect(res.status).to.equal(200);
    expect(res.body.terms.find((t: { term: string }) => t.term === SURGE)).to.include({ current: 4, previous: 0 });
    expect(res.body.terms.find((t: { term: string }) => t.term === TRICKLE)).to.include({ current: 3, previous: 0 });
  });

  it('when the period starts at midnight, then whole days (daily counts) and partial days (case rows) add up the same', async () => {
    // From the Shanghai midnight two days before today's, to now: 2 to 3 days long, so the
    // previous period still holds the 4 earlier cases and the current one the 12 recent ones.
    const midnight = new Date(Math.floor((Date.now() + 8 * HOUR) / DAY) * DAY - 8 * HOUR - 2 * DAY);

    const res = await hotTopics(`from=${midnight.toISOString()}&to=${ago(0)}&limit=100&minCount=3`);

    expect(res.body.terms.find((t: { term: string }) => t.term === SURGE)).to.include({ current: 12, previous: 4 });
  });

  it('when the period spans whole months, then the monthly counts and divisions add up with the days and rows around them', async () => {
    const res = await hotTopics(`from=${ago(100 * DAY)}&to=${ago(0)}&limit=100&minCount=3`);

    const surge = res.body.terms.find((t: { term: string }) => t.term === SURGE);
    expect(surge).to.include({ current: 21, previous: 0 });
    expect(surge.divisions.slice(0, 2)).to.deep.equal([
      { code: QINGYUN, name: surge.divisions[0].name, count: 17 },
      { code: YUSHAN, name: surge.divisions[1].name, count: 4 },
    ]);
    expect(res.body.categories.find((c: { term: string }) => c.term === category)).to.include({ current: 21, previous: 0 });
  });

  it('when an operator asks, or the period is reversed, or the division unknown, then 403 / 400', async () => {
    expect((await hotTopics(lastTwoDays(), operator.token)).status).to.equal(403);
    expect((await hotTopics(`from=${ago(0)}&to=${ago(DAY)}`)).status).to.equal(400);
    expect((await hotTopics('division=371399999')).status).to.equal(400);
  });

  describe('the watch list and the live warning', () => {
    const watchList = (body: Record<string, unknown>, token = admin.token) => request('PUT', '/api/stats/hot-topics/watch-list', { token, body });
    const defaults = { growth: 3, minCount: 10, windowHours: 24, allTerms: true, terms: [] };
    const outboxRows = async (): Promise<{ payload: Record<string, any> }[]> =>
      (await harness().pool.query(`SELECT payload FROM outbox WHERE topic = $1 AND payload->>'term' = $2`, [HOT_TOPIC_TOPIC, WATCHED])).rows;

    before(async () => {
      await watchList(defaults);
      // Not a jieba word: before it is watched, these cases are indexed without it.
      await intake('楼道里电动车飞线充电，很危险', ago(30 * HOUR), MENGYIN_TOWN);
      for (let i = 0; i < 5; i += 1) await intake(`小区有人飞线充电${i}，存在火灾隐患`, ago(2 * HOUR + i * 60_000), MENGYIN_TOWN);
      await indexAll();
    });

    after(async () => {
      await watchList(defaults);
    });

    it('when a supervisor changes the watch list, then 403; an admin replaces it and reads it back', async () => {
      expect((await watchList(defaults, supervisor.token)).status).to.equal(403);

      const res = await watchList({ ...defaults, allTerms: false, terms: [{ term: ' 飞线充电 ', growth: 1.5, minCount: 3 }] });

      expect(res.status).to.equal(200);
      expect(res.body.terms).to.deep.equal([{ term: WATCHED, growth: 1.5, minCount: 3, backfilled: res.body.terms[0].backfilled, addedAt: res.body.terms[0].addedAt }]);
      expect((await request('GET', '/api/stats/hot-topics/watch-list', { token: supervisor.token })).body).to.include({ allTerms: false, windowHours: 24 });
    });

    it('when a watched term is still being looked for in older cases, then it raises no warning', async () => {
      // Holding the indexer's lock keeps the backfill from running in between.
      const client = await harness().pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [TERM_INDEX_LOCK_KEY]);
        await watchList({ ...defaults, allTerms: false, terms: [] });
        await watchList({ ...defaults, allTerms: false, terms: [{ term: WATCHED, growth: 1.5, minCount: 3 }] });

        const alerts = await checkRisingTerms(harness().pool, new Date());

        expect(alerts.map((a) => a.term)).to.not.include(WATCHED);
      } finally {
        await client.query('COMMIT');
        client.release();
      }
    });

    it('when the indexer has found the watched term in older cases, then both periods count it', async () => {
      await indexAll();

      const list = await request('GET', '/api/stats/hot-topics/watch-list', { token: supervisor.token });
      const res = await hotTopics(`from=${ago(DAY)}&to=${ago(0)}`);

      expect(list.body.terms[0]).to.include({ term: WATCHED, backfilled: true });
      expect(res.status, res.text).to.equal(200);
      const watched = res.body.watched.find((w: { term: string }) => w.term === WATCHED);
      expect(watched).to.include({ current: 5, previous: 1, pastThreshold: true });
      expect(watched.threshold).to.deep.equal({ growth: 1.5, minCount: 3 });
      expect(watched.divisions[0]).to.include({ code: MENGYIN_TOWN, count: 5 });
    });

    it('when a watched term passes its threshold, then one centre.hot-topic outbox row is written for the window, not one per check', async () => {
      const now = new Date();

      await checkRisingTerms(harness().pool, now);
      await checkRisingTerms(harness().pool, now);
      const later = await checkRisingTerms(harness().pool, new Date(now.getTime() + HOUR));

      const rows = await outboxRows();
      expect(later.map((a) => a.term)).to.not.include(WATCHED);
      expect(rows).to.have.length(1);
      expect(rows[0]?.payload).to.include({ term: WATCHED, kind: 'word', count: 5, previous: 1, growth: 1.667 });
      expect(rows[0]?.payload.window).to.include({ hours: 24 });
      expect(rows[0]?.payload.divisions[0]).to.include({ code: MENGYIN_TOWN, count: 5 });
      expect(rows[0]?.payload.examples).to.have.length(3);
    });
  });
});
