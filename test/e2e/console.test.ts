import crypto from 'node:crypto';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signAccessToken } from '../../api/auth/token.js';
import { ensureConsoleBuilt } from '../../scripts/console-build.js';
import { launchChromium } from '../support/chromium.js';
import { logIn, openConsole, screenshot, type ConsolePage } from '../support/console-browser.js';
import { buildCase, createStaff, STAFF_PASSWORD } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { request } from '../support/http.js';
import { closeAllSockets, collect, connect, waitFor } from '../realtime/sockets.js';

const TANYI = '371325105';
const SHANGYE = '371325101';
// How long a page may take to show a change pushed over Socket.IO.
const LIVE_TIMEOUT_MS = 10_000;
const MARK_DOCUMENT = "document.documentElement.dataset.sameDocument = 'yes'";
const MARKED = 'document.documentElement.dataset.sameDocument';

describe('staff console in headless Chromium: desk, workbench, case detail', function () {
  this.timeout(120_000);
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async function () {
    // A fresh clone builds the console first (Vite), as npm start would.
    this.timeout(600_000);
    await ensureConsoleBuilt();
    browser = await launchChromium();
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
  });

  async function open(pathname?: string, session?: Parameters<typeof openConsole>[2]): Promise<ConsolePage> {
    const opened = await openConsole(browser, pathname, session);
    contexts.push(opened.context);
    return opened;
  }

  async function fillCall(page: Page, content: string, phone: string): Promise<void> {
    await page.getByLabel('来电号码').fill(phone);
    await page.getByLabel('姓名').fill('赵女士');
    await page.getByLabel('诉求地址').fill('临沂市费县探沂镇朱田村东');
    await page.getByLabel('诉求内容').fill(content);
    await page.getByTestId('preview-unit').getByText('探沂镇').waitFor();
  }

  it('when an operator takes a call, then the township handler already on the queue sees it arrive live, signs, replies, and the citizen page shows the reply; another township never sees it', async () => {
    const [operator, handler, sibling] = [await createStaff('operator'), await createStaff('handler', TANYI), await createStaff('handler', SHANGYE)];
    const queue = await open();
    await screenshot(queue.page, '01-login');
    await logIn(queue.page, handler.username, STAFF_PASSWORD);
    await queue.page.getByRole('tab', { name: '待签收' }).waitFor();
    await queue.page.evaluate(MARK_DOCUMENT);
    const other = await open();
    await logIn(other.page, sibling.username, STAFF_PASSWORD);
    await other.page.evaluate(MARK_DOCUMENT);

    const desk = await open();
    await logIn(desk.page, operator.username, STAFF_PASSWORD);
    const content = `朱田村东路灯坏了一周，晚上出行不便 ${crypto.randomBytes(3).toString('hex')}`;
    await fillCall(desk.page, content, '13912345678');
    await screenshot(desk.page, '02-desk-filled');
    await desk.page.getByLabel('诉求内容').press('Control+Enter');
    const caseNo = (await desk.page.getByTestId('case-no').textContent()) ?? '';
    const queryCode = ((await desk.page.getByTestId('query-code').textContent()) ?? '').replace(/\s/g, '');
    expect(caseNo).to.match(/^\d{15}$/);
    expect(queryCode).to.match(/^\d{6}$/);
    expect(await desk.page.getByLabel('向来电人复述').inputValue()).to.contain(caseNo).and.contain('探沂镇');
    await screenshot(desk.page, '03-desk-stored');

    const row = queue.page.getByRole('link', { name: caseNo });
    await row.waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await queue.page.evaluate(MARKED), 'the queue page was not reloaded').to.equal('yes');
    await screenshot(queue.page, '04-queue-live');

    await row.click();
    await queue.page.getByRole('button', { name: '签收' }).click();
    await queue.page.getByRole('button', { name: '答复' }).click();
    const reply = '经现场查看，路灯线路老化，已于今日更换，恢复照明。';
    await queue.page.getByLabel('答复内容').fill(reply);
    await screenshot(queue.page, '05-case-reply-dialog');
    await queue.page.getByRole('button', { name: '确定' }).click();
    await queue.page.getByText('已答复', { exact: true }).first().waitFor();
    await screenshot(queue.page, '06-case-replied');

    const citizen = await open('/');
    await citizen.page.getByRole('textbox', { name: '受理编号' }).fill(caseNo);
    await citizen.page.getByLabel('查询码').fill(queryCode);
    await citizen.page.getByRole('button', { name: '查询' }).click();
    await citizen.page.locator('#reply', { hasText: reply }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await screenshot(citizen.page, '07-citizen-reply');

    expect(await other.page.getByRole('link', { name: caseNo }).count(), 'another township’s queue').to.equal(0);
    expect(await other.page.evaluate(MARKED)).to.equal('yes');
    const id = new URL(queue.page.url()).pathname.split('/').pop() ?? '';
    const direct = await other.page.goto(`${harness().baseUrl}/console/cases/${id}`);
    expect(direct?.status()).to.equal(200);
    await other.page.getByText('找不到该工单，或您无权查看。').waitFor();
    expect(await other.page.content()).to.not.contain(content);
    await screenshot(other.page, '08-other-township-refused');
    for (const p of [queue, other, desk]) expect(p.problems).to.deep.equal([]);
  });

  it('when a case reaches the township after the queue fetched its list and before its socket joined, then the queue shows it once connected, without a reload', async () => {
    const handler = await createStaff('handler', TANYI);
    const queue = await open();
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The page's own socket to the real server, let through only once the case is stored.
    await queue.context.routeWebSocket(/\/socket\.io\//, async (ws) => {
      await held;
      ws.connectToServer();
    });
    const firstList = queue.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/cases' && r.request().method() === 'GET');
    await logIn(queue.page, handler.username, STAFF_PASSWORD);
    await firstList;
    await queue.page.evaluate(MARK_DOCUMENT);

    // Another socket of the same handler proves the push has gone out before the page's socket joins.
    const witness = await connect({ token: handler.token });
    const pushed = collect(witness, 'case:assigned');
    const stored = await buildCase();
    expect(stored.assignedUnit?.code).to.equal(TANYI);
    await waitFor(() => pushed.some((p) => p.caseId === stored.id), LIVE_TIMEOUT_MS, 'the push to the township');
    closeAllSockets();
    expect(await queue.page.getByRole('link', { name: String(stored.caseNo) }).count(), 'not in the list fetched before').to.equal(0);
    release();

    await queue.page.getByRole('link', { name: String(stored.caseNo) }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await queue.page.evaluate(MARKED), 'the queue page was not reloaded').to.equal('yes');
    expect(queue.problems).to.deep.equal([]);
  });

  const waitingPreviews = [
    {
      when: 'the operator types a private loan, then the preview says the centre keeps such requests',
      content: '俺是兰陵县卞庄街道的，前年借给俺朋友三万块钱，欠条也打了，现在人找不着了，电话也把俺拉黑了，恁说咋办？',
      preview: '中心留办：此类诉求通常由中心答复，可当场答复',
    },
    {
      when: "the catalogue's words and its classifier disagree, then the preview says the centre will dispatch it",
      content: '兰陵县卞庄街道这边连着三个晚上半夜打桩，夜间施工噪音吵得全楼都睡不着。',
      preview: '派单目录关键词与同类诉求的派单经验不一致，进入中心人工派单',
    },
  ];
  for (const { when, content, preview } of waitingPreviews) {
    it(`when ${when} instead of naming a unit`, async () => {
      const operator = await createStaff('operator');
      const desk = await open();
      await logIn(desk.page, operator.username, STAFF_PASSWORD);
      await desk.page.getByLabel('来电号码').fill('13900003333');
      await desk.page.getByLabel('诉求内容').fill(content);

      await desk.page.getByTestId('preview-unit').getByText(preview).waitFor();
      expect(desk.problems).to.deep.equal([]);
    });
  }

  it('when the operator double-clicks 提交工单 and presses Ctrl+Enter too, then one case is stored', async () => {
    const operator = await createStaff('operator');
    const desk = await open();
    await logIn(desk.page, operator.username, STAFF_PASSWORD);
    const content = `探沂镇集市路口积水严重 ${crypto.randomBytes(3).toString('hex')}`;
    await fillCall(desk.page, content, '13900001111');

    await desk.page.getByRole('button', { name: '提交工单' }).dblclick();
    await desk.page.keyboard.press('Control+Enter').catch(() => undefined);
    await desk.page.getByTestId('case-no').waitFor();

    const mine = await request('GET', '/api/desk/my-cases', { token: operator.token });
    expect(mine.body.items).to.have.length(1);
    await desk.page.getByRole('heading', { name: /我今日受理的工单（1）/ }).waitFor();
  });

  it('when the operator finds the answer in the knowledge base and answers on the spot, then the case is stored closed, never dispatched, and the citizen page shows the answer', async () => {
    const operator = await createStaff('operator');
    const desk = await open();
    await logIn(desk.page, operator.username, STAFF_PASSWORD);
    await desk.page.getByLabel('来电号码').fill('13900002222');
    await desk.page.getByLabel('诉求内容').fill(`孩子明年上小学，想问问我们小区的学区是怎么划的 ${crypto.randomBytes(3).toString('hex')}`);

    const pick = desk.page.getByRole('checkbox', { name: '引用《义务教育阶段招生入学区域划分》' });
    await pick.waitFor({ state: 'attached' });
    await pick.focus();
    await pick.press('Space');
    expect(await pick.isChecked()).to.equal(true);
    await desk.page.getByRole('button', { name: '查看全文' }).first().click();
    await desk.page.getByText('免试就近入学', { exact: false }).first().waitFor();
    await screenshot(desk.page, '14-desk-knowledge');

    await desk.page.getByRole('button', { name: '当场答复' }).click();
    const answer = desk.page.getByLabel('答复内容');
    expect(await answer.inputValue()).to.contain('招生范围');
    await screenshot(desk.page, '15-desk-direct-answer');
    await desk.page.getByRole('button', { name: '确定' }).click();
    await desk.page.getByRole('heading', { name: '已当场答复，工单已办结' }).waitFor();
    const caseNo = (await desk.page.getByTestId('case-no').textContent()) ?? '';
    const queryCode = ((await desk.page.getByTestId('query-code').textContent()) ?? '').replace(/\s/g, '');
    expect(await desk.page.getByLabel('向来电人复述').inputValue()).to.contain('当场答复').and.contain(caseNo);

    const mine = await request('GET', '/api/desk/my-cases', { token: operator.token });
    expect(mine.body.items[0]).to.include({ caseNo, status: 'closed', assignedUnit: null });

    const citizen = await open('/');
    await citizen.page.getByRole('textbox', { name: '受理编号' }).fill(caseNo);
    await citizen.page.getByLabel('查询码').fill(queryCode);
    await citizen.page.getByRole('button', { name: '查询' }).click();
    await citizen.page.locator('#reply', { hasText: '招生范围' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await screenshot(citizen.page, '16-citizen-direct-answer');
    for (const p of [desk, citizen]) expect(p.problems).to.deep.equal([]);
  });

  it("when the caller has an open case, then the operator adds the call to it (追加诉求) instead of a new case, and the unit's open case page shows it live", async () => {
    const phone = `139${crypto.randomInt(10_000_000, 99_999_999)}`;
    const earlier = await buildCase({ citizen: { name: '赵女士', phone } });
    const [operator, handler] = [await createStaff('operator'), await createStaff('handler', TANYI)];
    const unit = await open(`/console/cases/${earlier.id}`);
    await logIn(unit.page, handler.username, STAFF_PASSWORD);
    await unit.page.getByRole('heading', { name: '办理过程' }).waitFor();
    await unit.page.evaluate(MARK_DOCUMENT);
    const desk = await open();
    await logIn(desk.page, operator.username, STAFF_PASSWORD);
    const added = `朱田村东头的路灯今晚还是不亮，请尽快修 ${crypto.randomBytes(3).toString('hex')}`;

    await fillCall(desk.page, added, phone);
    const history = desk.page.getByRole('region', { name: '来电人历史工单' });
    await history.getByText(/该来电人有 1 件未办结工单/).waitFor();
    const row = history.getByRole('row').filter({ has: desk.page.getByRole('link', { name: earlier.caseNo }) });
    await row.getByRole('button', { name: '追加诉求' }).click();
    expect(await desk.page.getByLabel('追加内容').inputValue()).to.equal(added);
    await screenshot(desk.page, '09-desk-supplement-dialog');
    await desk.page.getByRole('button', { name: '确定' }).click();

    await desk.page.getByRole('heading', { name: '已追加到原工单' }).waitFor();
    expect(await desk.page.getByTestId('supplemented-case-no').textContent()).to.equal(earlier.caseNo);
    await screenshot(desk.page, '10-desk-supplemented');
    const mine = await request('GET', '/api/desk/my-cases', { token: operator.token });
    expect(mine.body.items, 'no case was created').to.have.length(0);
    await unit.page.getByText(added).waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await unit.page.evaluate(MARKED), 'the case page was not reloaded').to.equal('yes');
    await screenshot(unit.page, '11-case-supplemented');
    for (const p of [unit, desk]) expect(p.problems).to.deep.equal([]);
  });

  it('when a supervisor re-dispatches with a co-handling unit (协办单位), then the case shows it and the queue sorts by reply deadline on the server', async () => {
    const created = await buildCase();
    const supervisor = await createStaff('supervisor');
    const page = await open(`/console/cases/${created.id}`);
    await logIn(page.page, supervisor.username, STAFF_PASSWORD);

    await page.page.getByRole('button', { name: '改派' }).click();
    await page.page.getByLabel('承办单位').click();
    await page.page.getByLabel('承办单位').fill('探沂');
    await page.page.getByRole('option', { name: '探沂镇' }).click();
    // The multiple select's placeholder lies over its input: typing focuses it.
    await page.page.getByLabel('协办单位').fill('上冶');
    await page.page.getByRole('option', { name: '上冶镇' }).click();
    // A multiple select stays open for more choices; Tab leaves it, as a keyboard user would.
    await page.page.keyboard.press('Tab');
    await page.page.getByRole('listbox').waitFor({ state: 'hidden' });
    await screenshot(page.page, '12-case-dispatch-co-units');
    await page.page.getByRole('button', { name: '确定' }).click();

    await page.page.locator('.el-descriptions__cell', { hasText: '上冶镇' }).first().waitFor();
    const { body } = await request('GET', `/api/cases/${created.id}`, { token: supervisor.token });
    expect(body.coUnits).to.deep.equal([SHANGYE]);

    await page.page.getByRole('menuitem', { name: '工单队列' }).click();
    await page.page.getByRole('tab', { name: '全部' }).click();
    const sorted = page.page.waitForRequest((r) => /\/api\/cases\?.*sort=replyBy&order=asc/.test(r.url()));
    await page.page.getByRole('columnheader', { name: '答复剩余' }).click();
    await sorted;
    await screenshot(page.page, '13-queue-sorted-by-reply');
    expect(page.problems).to.deep.equal([]);
  });

  it('when the township contests a dispatch and the centre arbitrates on the case page, then both see the dispute, its deadline and the decision, and the case moves to the unit named', async () => {
    const created = await buildCase();
    const township = await createStaff('handler', TANYI);
    const unit = await open(`/console/cases/${created.id}`);
    await logIn(unit.page, township.username, STAFF_PASSWORD);
    await unit.page.getByRole('button', { name: '管辖异议' }).click();
    await unit.page.getByLabel('异议理由').fill('拖欠工资属劳动保障监察职责，不属于本镇');
    await unit.page.getByLabel('建议承办单位').click();
    await unit.page.getByLabel('建议承办单位').fill('费县人社');
    await unit.page.getByRole('option', { name: /人社局/ }).first().click();
    await unit.page.getByRole('button', { name: '确定' }).click();
    const pending = unit.page.getByRole('region', { name: '管辖争议（待中心仲裁）' });
    await pending.getByText('拖欠工资属劳动保障监察职责，不属于本镇').waitFor();
    await pending.getByText(/人社局/).waitFor();
    // While the centre decides, the unit can neither return nor forward the case.
    expect(await unit.page.getByRole('button', { name: '退回' }).count()).to.equal(0);

    const supervisor = await createStaff('supervisor');
    const centre = await open(`/console/cases/${created.id}`);
    await logIn(centre.page, supervisor.username, STAFF_PASSWORD);
    await centre.page.getByRole('region', { name: '管辖争议（待中心仲裁）' }).getByText('仲裁期限').waitFor();
    await screenshot(centre.page, '14-case-dispute-pending');
    await centre.page.getByRole('button', { name: '争议仲裁' }).click();
    await centre.page.getByLabel('确定承办单位').click();
    await centre.page.getByLabel('确定承办单位').fill('费县人社');
    await centre.page.getByRole('option', { name: /人社局/ }).first().click();
    await centre.page.getByLabel('仲裁理由').fill('欠薪属人社部门劳动保障监察职责');
    await centre.page.getByRole('button', { name: '确定' }).click();
    await centre.page.getByRole('region', { name: '管辖争议（已仲裁）' }).getByText(/欠薪属人社部门劳动保障监察职责/).waitFor();
    await centre.page.getByRole('dialog').waitFor({ state: 'hidden' });
    await screenshot(centre.page, '15-case-dispute-arbitrated');

    const { body } = await request('GET', `/api/cases/${created.id}`, { token: supervisor.token });
    expect(body.assignedUnit.code).to.match(/-renshe$/);
    expect(body.procedures).to.include({ dispute: null, arbitratedUnit: body.assignedUnit.code });
    expect(unit.problems).to.deep.equal([]);
    expect(centre.problems).to.deep.equal([]);
  });

  it('when two handlers sign for one case and the second page was stale, then the second sees the 409 in words and the refreshed case', async () => {
    const created = await buildCase();
    const [first, second] = [await createStaff('handler', TANYI), await createStaff('handler', TANYI)];
    const stale = await open();
    // No live pushes for this page: it stays as it was loaded, as on a slow or cut connection.
    await stale.context.routeWebSocket(/\/socket\.io\//, () => undefined);
    await logIn(stale.page, second.username, STAFF_PASSWORD);
    await stale.page.goto(`${harness().baseUrl}/console/cases/${created.id}`);
    const sign = stale.page.getByRole('button', { name: '签收' });
    await sign.waitFor();

    const won = await request('POST', `/api/cases/${created.id}/actions`, { token: first.token, body: { action: 'accept' } });
    expect(won.status, won.text).to.equal(200);
    await sign.click();

    await stale.page.getByRole('alert').filter({ hasText: '工单状态已经变化' }).waitFor();
    await stale.page.getByText('办理中', { exact: true }).first().waitFor();
    expect(await stale.page.getByRole('button', { name: '签收' }).count()).to.equal(0);
    await screenshot(stale.page, '09-case-409');
  });

  it('when the token expires on an open queue, then the login page comes back and none of the data stays on the page', async () => {
    const created = await buildCase();
    const handler = await createStaff('handler', TANYI);
    const principal = { id: handler.id, username: handler.username, role: handler.role, unitCode: handler.unitCode };
    const ttlSeconds = 15;
    const session = { token: signAccessToken(principal, harness().jwtSecret, ttlSeconds), user: principal, expiresAt: Date.now() + ttlSeconds * 1000 };
    const queue = await open('/console/queue', session);
    await queue.page.getByRole('link', { name: created.caseNo }).waitFor();

    await queue.page.getByRole('button', { name: '登录', exact: true }).waitFor({ timeout: (ttlSeconds + 5) * 1000 });

    expect(await queue.page.content()).to.not.contain(created.caseNo);
    await queue.page.getByText('登录已过期，请重新登录。').waitFor();
    await screenshot(queue.page, '10-expired-login');
  });
});
