import { expect } from 'chai';
import { createDisclosureHead, createStaff, type Staff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { request } from '../support/http.js';

// Linyi's 2018 annual report, section 依申请公开情况 (shared/seeds/004_…): the figures to get back.
const MODES: [string, number][] = [['in_person', 161], ['fax', 2], ['online', 184], ['letter', 1043], ['other', 8]];
const OUTCOMES: [string, string | undefined, number][] = [
  ['already_public', undefined, 185],
  ['disclosed', undefined, 396],
  ['partly_disclosed', undefined, 84],
  ['not_disclosed', 'state_secret', 2],
  ['not_disclosed', 'commercial_secret', 3],
  ['not_disclosed', 'privacy', 6],
  ['not_disclosed', 'not_government_info', 88],
  ['not_disclosed', 'other_statutory', 17],
  ['not_held', undefined, 241],
  ['not_exist', undefined, 284],
  ['amend', undefined, 40],
  ['other_route', undefined, 46],
  // 1,398 completed but 1,392 answered: six requests were withdrawn by the applicant.
  ['withdrawn', undefined, 6],
];
const EXTENDED = 18;

const expand = <T>(pairs: [T, number][]): T[] => pairs.flatMap(([value, count]) => Array<T>(count).fill(value));

async function inParallel<T>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  }));
}

async function ok(res: Promise<{ status: number; text: string; body: any }>, status = 200): Promise<any> {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text}`);
  return r.body;
}

describe('disclosure report: the 1,398 requests of Linyi 2018 come back as the annual report table', function () {
  this.timeout(600_000);
  let supervisor: Staff;

  before(async () => {
    supervisor = await createStaff('supervisor');
    // Rate limits are per account: spread the load over a few desks, as a real office would.
    const operators = await Promise.all(Array.from({ length: 3 }, () => createStaff('operator')));
    const offices = await Promise.all(Array.from({ length: 6 }, () => createStaff('handler', '3713-disclosure')));
    // 《政府信息公开条例》 art. 33: the head of the office approves its extensions.
    const head = await createDisclosureHead('3713-disclosure');
    const modes = expand(MODES);
    const outcomes = expand(OUTCOMES.map(([o, g, n]) => [{ outcome: o, ground: g }, n] as [{ outcome: string; ground?: string }, number]));
    await inParallel(modes, 8, async (mode, i) => {
      const receivedAt = new Date(Date.UTC(2018, 0, 2 + (i % 360), 2, 0, 0)).toISOString();
      const created = await ok(request('POST', '/api/cases', {
        token: (operators[i % operators.length] as Staff).token,
        body: { channel: mode, type: 'disclosure', content: `申请公开2018年第${i}号政府信息`, receivedAt, receivedAtReason: '重建2018年年报数据', citizen: { name: '申请人' } },
      }), 201);
      const office = offices[i % offices.length] as Staff;
      const act = (body: Record<string, unknown>) => ok(request('POST', `/api/cases/${created.id}/actions`, { token: office.token, body }));
      await act({ action: 'accept' });
      if (i < EXTENDED) {
        await act({ action: 'request_extension', days: 20, reason: '需征求第三方意见' });
        await ok(request('POST', `/api/cases/${created.id}/actions`, { token: head.token, body: { action: 'approve_extension' } }));
      }
      const { outcome, ground } = outcomes[i] as { outcome: string; ground?: string };
      await act({ action: 'reply', reply: '依法答复', outcome, ...(ground ? { ground } : {}) });
    });
  });

  it('when the 2018 report is asked for, then every figure of the table matches', async () => {
    const report = await ok(request('GET', '/api/reports/disclosure?year=2018', { token: supervisor.token }));
    expect(report).to.deep.equal({
      year: 2018,
      received: { total: 1398, in_person: 161, fax: 2, online: 184, letter: 1043, other: 8 },
      completed: { total: 1398, onTime: 1380, extended: 18 },
      replies: {
        total: 1392,
        already_public: 185,
        disclosed: 396,
        partly_disclosed: 84,
        not_disclosed: { total: 116, state_secret: 2, commercial_secret: 3, privacy: 6, security_stability: 0, not_government_info: 88, other_statutory: 17 },
        not_held: 241,
        not_exist: 284,
        amend: 40,
        other_route: 46,
      },
    });
  });

  it('when asked as CSV, then the rows follow the report layout with a BOM for Excel', async () => {
    const res = await request('GET', '/api/reports/disclosure?year=2018&format=csv', { token: supervisor.token });
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    const lines = res.text.trim().split(/\r\n/);
    // The text decoder drops the byte-order mark; the raw bytes must start with it.
    const raw = await fetch(`${harness().baseUrl}/api/reports/disclosure?year=2018&format=csv`, { headers: { authorization: `Bearer ${supervisor.token}` } });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    expect(lines[0]).to.equal('项目,单位,数量');
    expect(lines).to.include('（一）收到申请数,件,1398');
    expect(lines).to.include('4.信函申请数,件,1043');
    expect(lines).to.include('2.延期办结数,件,18');
    expect(lines).to.include('不是《条例》所指政府信息,件,88');
    expect(lines).to.have.length(25);
  });

  it('when another year or a unit without requests is asked for, then it is all zeros; a handler outside the unit gets 403', async () => {
    const other = await ok(request('GET', '/api/reports/disclosure?year=2017', { token: supervisor.token }));
    expect(other.received.total).to.equal(0);
    const county = await ok(request('GET', '/api/reports/disclosure?year=2018&unit=371325', { token: supervisor.token }));
    expect(county.received.total).to.equal(0);
    const handler = await createStaff('handler', '371325105');
    expect((await request('GET', '/api/reports/disclosure?year=2018&unit=371302', { token: handler.token })).status).to.equal(403);
  });
});
