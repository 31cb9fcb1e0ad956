import { expect } from 'chai';
import type { Browser, BrowserContext } from 'playwright-core';
import { ensureConsoleBuilt } from '../../scripts/console-build.js';
import { formatRate } from '../../web/console/src/logic/dashboard.js';
import { presetPeriod } from '../../web/console/src/logic/period.js';
import { launchChromium } from '../support/chromium.js';
import { openConsole, screenshot, type ConsolePage } from '../support/console-browser.js';
import { buildCase, createStaff, intakeBody, type Staff } from '../support/factories.js';
import { freshIp, request } from '../support/http.js';

// 沂南县: no other console test works there.
const JIEHU = '371321001'; // 界湖街道, pinyin initials jhjd
const ANDI = '371321101'; // 岸堤镇, pinyin initials adz
const inJiehu = { address: '临沂市沂南县界湖街道', dispatchTo: JIEHU };

async function act(by: Staff, caseId: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });
  if (res.status !== 200) throw new Error(`${String(body.action)} failed: ${res.status} ${res.text}`);
  return res.body;
}

/** A case the township has signed for and answered: waiting for the centre's return visit. */
async function repliedCase(handler: Staff): Promise<Record<string, any>> {
  const c = await buildCase(inJiehu);
  await act(handler, c.id, { action: 'accept' });
  await act(handler, c.id, { action: 'reply', reply: '路灯已更换，恢复照明。' });
  return c;
}

describe('staff console in headless Chromium: 派单中心, 监督, 回访', function () {
  this.timeout(120_000);
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let supervisor: Staff;
  let handler: Staff;

  before(async function () {
    this.timeout(600_000);
    await ensureConsoleBuilt();
    browser = await launchChromium();
    supervisor = await createStaff('supervisor');
    handler = await createStaff('handler', JIEHU);
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
  });

  async function openAs(staff: Staff, pathname: string): Promise<ConsolePage> {
    const user = { id: staff.id, username: staff.username, role: staff.role, unitCode: staff.unitCode };
    const opened = await openConsole(browser, pathname, { token: staff.token, user, expiresAt: Date.now() + 3_600_000 });
    contexts.push(opened.context);
    return opened;
  }

  it('when a supervisor opens 监督, then the charts are drawn and its three rates equal the API’s for the same month', async () => {
    const rated = await repliedCase(handler);
    await act(supervisor, rated.id, { action: 'close', satisfaction: 'basically_satisfied' });
    const { page, problems } = await openAs(supervisor, '/console/dashboard');
    for (const chart of ['chart-bar', 'chart-line', 'chart-donut', 'chart-treemap']) {
      await page.getByTestId(chart).getByRole('img').locator('svg').first().waitFor();
    }
    await page.getByTestId('ranking-weights').waitFor();
    await page.getByRole('button', { name: '导出CSV' }).waitFor();

    const period = presetPeriod('month', new Date());
    const api = await request('GET', `/api/stats/units?from=${period.from}&to=${period.to}`, { token: supervisor.token });
    const city = api.body.items.find((i: { level: string }) => i.level === 'parent');
    expect(city.satisfactionRate, 'the arranged rating counts').to.be.a('number');
    expect(await page.getByTestId('rate-response').textContent()).to.equal(formatRate(city.responseRate));
    expect(await page.getByTestId('rate-resolution').textContent()).to.equal(formatRate(city.resolutionRate));
    expect(await page.getByTestId('rate-satisfaction').textContent()).to.equal(formatRate(city.satisfactionRate));
    expect(await page.getByTestId('rate-first-dispatch').textContent()).to.equal(formatRate(city.firstDispatchAccuracy));
    expect(await page.getByTestId('rate-auto-dispatch').textContent()).to.equal(formatRate(city.autoDispatchRate));

    // What ECharts drew is the API's data: the bars carry the counties' counts and names, then on
    // 部门 those of the 20 departments that received most; the ring the period's total, and the
    // treemap names the arranged county with its cases.
    const drawn = async (chart: string): Promise<string[]> => (await page.getByTestId(chart).locator('svg text').allTextContents()).map((t) => t.trim());
    const numbers = (texts: readonly string[]): string[] => texts.filter((t) => /^\d+$/.test(t)).sort();
    const children: { name: string; kind: string; received: number }[] = api.body.items.filter((i: { level: string }) => i.level === 'child');
    const counties = children.filter((c) => c.kind === 'county');
    const departments = children.filter((c) => c.kind !== 'county').sort((a, b) => b.received - a.received);
    expect(counties.length, 'every county and zone fits the chart').to.be.within(1, 20);
    const countyBars = await drawn('chart-bar');
    expect(numbers(countyBars)).to.deep.equal(counties.map((c) => String(c.received)).sort());
    expect(countyBars).to.include.members(counties.filter((c) => c.name.length <= 6).map((c) => c.name));
    expect(await page.getByRole('cell', { name: '市住建委', exact: true }).count(), 'departments wait behind 部门').to.equal(0);

    expect(departments.length, 'the city has more departments than the chart draws').to.be.above(20);
    await page.getByText(`部门（${departments.length}）`).click();
    const chartTitle = `各单位受理量（前20名，共${departments.length}个单位）`;
    await page.getByTestId('chart-bar').getByRole('img', { name: chartTitle }).waitFor();
    const departmentBars = await drawn('chart-bar');
    expect(numbers(departmentBars)).to.deep.equal(departments.slice(0, 20).map((c) => String(c.received)).sort());
    // Departments tied with the 20th may be drawn or not; those above it must be.
    const cut = departments[19]?.received ?? 0;
    expect(departmentBars).to.include.members(departments.filter((c) => c.received > cut && c.name.length <= 6).map((c) => c.name));
    await page.getByRole('cell', { name: '市住建委', exact: true }).waitFor();
    await page.getByText(`属地（${counties.length}）`).click();
    await page.getByTestId('chart-bar').getByRole('img', { name: '各单位受理量' }).waitFor();
    const mix = await request('GET', `/api/stats/case-mix?from=${period.from}&to=${period.to}&parent=3713`, { token: supervisor.token });
    const total = mix.body.channels.reduce((sum: number, c: { received: number }) => sum + c.received, 0);
    expect(await drawn('chart-donut')).to.include(String(total));
    const yinan = mix.body.divisions.filter((d: { countyCode: string | null }) => d.countyCode === '371321').reduce((sum: number, d: { received: number }) => sum + d.received, 0);
    // A tile's name is drawn only where it fits, which depends on every other county's count; its
    // title (what hovering shows) is always there.
    const tiles = await page.getByTestId('chart-treemap').locator('svg rect title').allTextContents();
    expect(tiles).to.include(`沂南县：${yinan}件`);
    expect((await drawn('chart-treemap')).filter((label) => /^\S+ \d+$/.test(label)), 'the larger tiles carry their name and count').to.not.deep.equal([]);
    expect(await page.getByTestId('chart-line').getByRole('img', { name: '每周受理量' }).count()).to.equal(1);

    // The unit table opens largest first and sorts from the keyboard by its headers.
    const unitTable = page.getByRole('table', { name: '分单位统计' });
    const column = async (k: number): Promise<string[]> => (await unitTable.locator('tbody tr').locator(`td:nth-child(${k + 1})`).allTextContents()).map((t) => t.trim());
    const received = (await column(1)).map(Number);
    expect(received).to.have.length(counties.length);
    expect(received).to.deep.equal([...received].sort((a, b) => b - a));
    expect(await unitTable.getByRole('columnheader', { name: '受理量' }).getAttribute('aria-sort')).to.equal('descending');
    await unitTable.getByRole('button', { name: '单位' }).focus();
    await page.keyboard.press('Enter');
    await unitTable.getByRole('columnheader', { name: '单位' }).and(page.locator('[aria-sort="ascending"]')).waitFor();
    const names = await column(0);
    expect(names).to.deep.equal([...counties.map((c) => c.name)].sort((a, b) => a.localeCompare(b, 'zh-CN')));
    expect(await unitTable.getByRole('columnheader', { name: '受理量' }).getAttribute('aria-sort'), 'one column orders the table').to.equal(null);
    await screenshot(page, '20-dashboard');

    // A custom period asks for its own figures: a past month without a case of this test.
    const custom = { from: '2025-01-01', to: '2025-01-31' };
    const past = await request('GET', `/api/stats/units?from=${custom.from}&to=${custom.to}`, { token: supervisor.token });
    const pastCity = past.body.items.find((i: { level: string }) => i.level === 'parent');
    expect(pastCity.received, 'the custom period differs from this month').to.not.equal(city.received);
    await page.getByText('自定义', { exact: true }).click();
    for (const [label, date] of [['开始日期', custom.from], ['结束日期', custom.to]] as const) {
      await page.getByLabel(label).fill(date);
      await page.getByLabel(label).press('Enter');
    }
    await page.getByText(`${custom.from} 至 ${custom.to}`).waitFor();
    await page.getByTestId('overdue-now').locator('xpath=..').getByText(`受理 ${pastCity.received}`).waitFor();
    expect(await page.getByTestId('rate-response').textContent()).to.equal(formatRate(pastCity.responseRate));
    await page.getByText('本月', { exact: true }).click();
    await page.getByTestId('overdue-now').locator('xpath=..').getByText(`受理 ${city.received}`).waitFor();

    await page.getByRole('button', { name: '沂南县', exact: true }).click();
    await page.getByRole('button', { name: '界湖街道', exact: true }).or(page.getByRole('cell', { name: '界湖街道', exact: true })).first().waitFor();
    await screenshot(page, '21-dashboard-county');
    expect(problems).to.deep.equal([]);
  });

  it('when the centre dispatches a returned case from the manual queue with the unit picker and approves an extension, then each case leaves its queue', async () => {
    const c = await buildCase(inJiehu);
    await act(handler, c.id, { action: 'return', reason: '该村属岸堤镇管辖' });
    const asking = await buildCase(inJiehu);
    await act(handler, asking.id, { action: 'accept' });
    await act(handler, asking.id, { action: 'request_extension', days: 5, reason: '需协调供电公司更换线路' });
    const { page, problems } = await openAs(supervisor, '/console/manual');
    const { body: queues } = await request('GET', '/api/centre/queues', { token: supervisor.token });
    await page.getByRole('tab', { name: `待人工派单 ${queues.totals.manual}` }).waitFor();
    await page.getByRole('button', { name: `派单 ${c.caseNo}` }).click();
    await page.getByTestId('return-reason').filter({ hasText: '该村属岸堤镇管辖' }).waitFor();
    await page.getByTestId('preview-unit').waitFor();
    const picker = page.getByLabel('承办单位', { exact: true });
    await picker.click();
    await picker.fill('adz');
    await page.getByRole('option', { name: '岸堤镇' }).click();
    await screenshot(page, '22-manual-dispatch');
    await page.getByRole('button', { name: '确认派单' }).click();
    await page.getByRole('button', { name: `派单 ${c.caseNo}` }).waitFor({ state: 'detached' });

    const stored = await request('GET', `/api/cases/${c.id}`, { token: supervisor.token });
    expect(stored.body.status).to.equal('dispatched');
    expect(stored.body.assignedUnit.code).to.equal(ANDI);
    await page.getByRole('tab', { name: /延期申请/ }).click();
    const asked = page.getByRole('row').filter({ hasText: asking.caseNo });
    await asked.getByText('需协调供电公司更换线路').waitFor();
    await screenshot(page, '23-manual-extensions');
    await asked.getByRole('button', { name: '同意延期' }).click();
    await asked.waitFor({ state: 'detached' });
    const extended = await request('GET', `/api/cases/${asking.id}`, { token: supervisor.token });
    expect(extended.body.deadlines.pendingExtension).to.equal(null);
    expect(extended.body.deadlines.extensions).to.have.length(1);
    expect(problems).to.deep.equal([]);
  });

  it("when a case waits because the catalogue's words and its classifier disagreed, then the queue says so and 选用 takes a suggested unit into the dispatch", async () => {
    const operator = await createStaff('operator');
    const body = intakeBody({ title: undefined, content: '兰陵县卞庄街道这边连着三个晚上半夜打桩，夜间施工噪音吵得全楼都睡不着。', address: undefined });
    const { body: c } = await request('POST', '/api/cases', { token: operator.token, body });
    expect(c.routing, JSON.stringify(c.routing)).to.include({ disputed: true });
    const { page, problems } = await openAs(supervisor, '/console/manual');

    await page.getByRole('row').filter({ hasText: c.caseNo }).getByText('目录关键词与派单经验不一致').waitFor();
    await page.getByRole('button', { name: `派单 ${c.caseNo}` }).click();
    const suggestions = page.getByTestId('suggestion');
    await suggestions.nth(2).waitFor();
    expect(await suggestions.count()).to.equal(3);
    await suggestions.filter({ hasText: '夜间施工噪音：夜间施工、打桩' }).getByRole('button', { name: '选用兰陵县城管局' }).click();
    await page.getByRole('button', { name: '已选用兰陵县城管局' }).waitFor();
    await screenshot(page, '23a-manual-suggestions');
    await page.getByRole('button', { name: '确认派单' }).click();
    await page.getByRole('button', { name: `派单 ${c.caseNo}` }).waitFor({ state: 'detached' });

    expect((await request('GET', `/api/cases/${c.id}`, { token: supervisor.token })).body.assignedUnit.code).to.equal('371324-chengguan');
    expect(problems).to.deep.equal([]);
  });

  it('when another case reaches the manual queue while the centre is picking a unit for one, then the list refreshes and the dispatch panel keeps what was typed', async () => {
    const c = await buildCase(inJiehu);
    await act(handler, c.id, { action: 'return', reason: '该村属岸堤镇管辖' });
    const { page, problems } = await openAs(supervisor, '/console/manual');
    const before = (await request('GET', '/api/centre/queues', { token: supervisor.token })).body.totals.manual as number;
    await page.getByRole('tab', { name: `待人工派单 ${before}` }).waitFor();
    await page.getByRole('button', { name: `派单 ${c.caseNo}` }).click();
    await page.getByTestId('preview-unit').waitFor();
    const picker = page.getByLabel('承办单位', { exact: true });
    await picker.click();
    await picker.fill('adz');
    await page.getByRole('option', { name: '岸堤镇' }).waitFor();

    const another = await buildCase(inJiehu);
    await act(handler, another.id, { action: 'return', reason: '不属本街道管辖' });
    await page.getByRole('tab', { name: `待人工派单 ${before + 1}` }).waitFor();

    expect(await picker.inputValue()).to.equal('adz');
    await page.getByRole('option', { name: '岸堤镇' }).click();
    await page.getByRole('button', { name: '确认派单' }).click();
    await page.getByRole('button', { name: `派单 ${c.caseNo}` }).waitFor({ state: 'detached' });
    expect((await request('GET', `/api/cases/${c.id}`, { token: supervisor.token })).body.assignedUnit.code).to.equal(ANDI);
    expect(problems).to.deep.equal([]);
  });

  it('when the centre records a return visit, then one step stores the satisfaction and closes the case', async () => {
    const c = await repliedCase(handler);
    const { page, problems } = await openAs(supervisor, '/console/visits');
    await page.getByRole('button', { name: `回访 ${c.caseNo}` }).click();
    await page.getByRole('radiogroup', { name: '回访满意度' }).getByText('满意', { exact: true }).click();
    expect(await page.getByRole('radio', { name: '满意', exact: true }).isChecked()).to.equal(true);
    await page.getByLabel('回访记录').fill('市民表示路灯已亮');
    await screenshot(page, '24-visits');
    await page.getByRole('button', { name: '记录回访并办结' }).click();
    await page.getByRole('button', { name: `回访 ${c.caseNo}` }).waitFor({ state: 'detached' });

    const stored = await request('GET', `/api/cases/${c.id}`, { token: supervisor.token });
    expect(stored.body.status).to.equal('closed');
    expect(stored.body.rating).to.include({ satisfaction: 'satisfied', comment: '市民表示路灯已亮' });
    expect(problems).to.deep.equal([]);
  });

  it('when a citizen chases a case while 派单中心 is open, then the chase appears without a reload', async () => {
    const c = await buildCase(inJiehu);
    const { page } = await openAs(supervisor, '/console/manual');
    await page.getByText('实时更新中').waitFor();
    await page.evaluate("document.documentElement.dataset.sameDocument = 'yes'");
    const chase = await request('POST', `/api/public/cases/${c.caseNo}/escalations`, { ip: freshIp(), body: { code: c.queryCode, reason: '还没人来修' } });
    expect(chase.status).to.be.lessThan(300);
    await page.getByRole('tab', { name: /市民催办/ }).click();
    await page.getByRole('link', { name: c.caseNo }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate('document.documentElement.dataset.sameDocument')).to.equal('yes');
  });
});
