import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { expect } from 'chai';
import type { Browser, BrowserContext } from 'playwright-core';
import { ensureConsoleBuilt } from '../../scripts/console-build.js';
import { launchChromium } from '../support/chromium.js';
import { logIn, openConsole, screenshot, type ConsolePage } from '../support/console-browser.js';
import { createStaff, intakeBody, STAFF_PASSWORD, type Staff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { request } from '../support/http.js';

const TANYI = '371325105';
// Words no other test writes: the engine teaches jieba every rule keyword, so each segments as one word.
const [OLD_WORD, NEW_WORD] = ['穿山甲', '白鳍豚'];
// How long a console may take to notice the server ended its session.
const LOGOUT_TIMEOUT_MS = 10_000;

describe('staff console in headless Chromium: administration', function () {
  this.timeout(120_000);
  let browser: Browser;
  let admin: Staff;
  const contexts: BrowserContext[] = [];
  const rules: string[] = [];

  before(async function () {
    this.timeout(600_000);
    await ensureConsoleBuilt();
    browser = await launchChromium();
    admin = await createStaff('admin');
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    for (const id of rules) await request('DELETE', `/api/routing-rules/${id}`, { token: admin.token });
  });

  async function open(pathname?: string): Promise<ConsolePage> {
    const opened = await openConsole(browser, pathname);
    contexts.push(opened.context);
    return opened;
  }

  async function openAsAdmin(): Promise<ConsolePage> {
    const screen = await open();
    await logIn(screen.page, admin.username, STAFF_PASSWORD);
    return screen;
  }

  async function goTo(screen: ConsolePage, item: string): Promise<void> {
    await screen.page.getByRole('menuitem', { name: '系统管理' }).click();
    await screen.page.getByRole('menuitem', { name: item }).click();
  }

  /** The JS and CSS a page loads until it shows `ready`, each gzipped as a server would send it. */
  async function transferOf(staff: Staff, pathname: string, ready: { role: 'button' | 'heading'; name: string }): Promise<{ names: string[]; gzipKb: number }> {
    const user = { id: staff.id, username: staff.username, role: staff.role, unitCode: staff.unitCode };
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    await context.addInitScript(`sessionStorage.setItem('hotline-hub.session', ${JSON.stringify(JSON.stringify({ token: staff.token, user, expiresAt: Date.now() + 3_600_000 }))})`);
    const page = await context.newPage();
    const files: Promise<{ name: string; body: Buffer }>[] = [];
    page.on('response', (res) => {
      const name = new URL(res.url()).pathname;
      if (/\.(js|css)$/.test(name)) files.push(res.body().then((body) => ({ name, body })));
    });
    await page.goto(`${harness().baseUrl}${pathname}`);
    await page.getByRole(ready.role, { name: ready.name }).waitFor();
    await page.waitForLoadState('networkidle');
    const loaded = await Promise.all(files);
    return { names: loaded.map((f) => f.name), gzipKb: loaded.reduce((sum, f) => sum + zlib.gzipSync(f.body, { level: 9 }).length, 0) / 1024 };
  }

  it('when an admin opens 受理台 and a case waiting in 派单中心, then each says the admin only reads, and its buttons that act on cases are disabled', async () => {
    const waiting = await request('POST', '/api/cases', { token: (await createStaff('operator')).token, body: intakeBody({ title: undefined, content: `想反映个情况，具体的等我想好了再打过来 #${crypto.randomBytes(3).toString('hex')}`, address: undefined }) });
    expect(waiting.status, waiting.text).to.equal(201);
    const { page, problems } = await openAsAdmin();
    const note = '系统管理员只能查看：受理、派单、延期审批和回访由话务员和中心督办人员办理';

    await page.getByRole('menuitem', { name: '受理台' }).click();
    await page.getByText(note).waitFor();
    expect(await page.getByRole('button', { name: '提交工单' }).isDisabled()).to.equal(true);
    expect(await page.getByRole('button', { name: '当场答复' }).isDisabled()).to.equal(true);
    await page.getByRole('menuitem', { name: '派单中心' }).click();
    await page.getByRole('button', { name: `派单 ${waiting.body.caseNo}` }).click();
    await page.getByRole('region', { name: `派单 ${waiting.body.caseNo}` }).getByText(note).waitFor();
    expect(await page.getByRole('button', { name: '确认派单' }).isDisabled()).to.equal(true);
    expect(problems).to.deep.equal([]);
  });

  it('when the desk opens, then no administration screen is loaded; when an admin opens the rules directly, then its JS and CSS stay under 400 kB gzip', async () => {
    const desk = await transferOf(await createStaff('operator'), '/console/intake', { role: 'button', name: '提交工单' });
    expect(desk.names.filter((n) => /(Rules|Policies|Calendar|Users|Units|Channels|Audit)View/.test(n))).to.deep.equal([]);
    const rulesScreen = await transferOf(admin, '/console/rules', { role: 'button', name: '模拟分派' });
    expect(rulesScreen.names.some((n) => /RulesView/.test(n))).to.equal(true);
    expect(rulesScreen.gzipKb).to.be.below(400);
  });

  it('when an admin edits a rule, then a bad field is refused in words beside it, the saved rule routes the simulation, and its versions show the change', async () => {
    const id = `e2e-admin-${crypto.randomBytes(3).toString('hex')}`;
    const name = `测试规则：${OLD_WORD}`;
    const created = await request('POST', '/api/routing-rules', {
      token: admin.token,
      body: { id, name, priority: 900_000, enabled: true, conditions: { keywords: { anyOf: [OLD_WORD] } }, target: { kind: 'unit', unitCode: '3713-hotline' } },
    });
    expect(created.status, created.text).to.equal(201);
    rules.push(id);
    const zhujian = (await request('GET', '/api/units/3713-zhujian', { token: admin.token })).body.name as string;

    const screen = await openAsAdmin();
    await goTo(screen, '分派规则');
    const { page } = screen;
    await page.getByRole('button', { name: `编辑 ${name}` }).click();
    await page.getByLabel('地区编码前缀').fill('37x');
    await page.getByLabel('包含任一关键词').fill(`${OLD_WORD} ${NEW_WORD}`);
    await page.getByLabel('承办单位').fill('住建');
    await page.getByRole('option', { name: zhujian, exact: true }).click();
    await page.getByRole('button', { name: '保存规则' }).click();
    await page.getByText('格式不正确（每项为 4 到 9 位数字的区划编码前缀）').waitFor();
    await screenshot(page, 'admin-02-rule-refused');

    await page.getByLabel('地区编码前缀').fill('');
    await page.getByRole('button', { name: '保存规则' }).click();
    await page.getByText(`规则“${name}”已保存`).waitFor();

    await page.getByLabel('模拟诉求内容').fill(`小区附近发现${NEW_WORD}，请有关部门处理`);
    await page.getByLabel('诉求地址').fill('费县探沂镇朱田村');
    await page.getByRole('button', { name: '模拟分派' }).click();
    await page.getByTestId('simulation-rule').getByText(name).waitFor();
    expect(await page.getByTestId('simulation-unit').textContent()).to.equal(zhujian);
    await screenshot(page, 'admin-01-rules-simulated');

    await page.getByRole('button', { name: `版本 ${name}` }).click();
    const latest = page.getByRole('region', { name: '第 2 版' });
    await latest.getByText(`＋${NEW_WORD}`).waitFor();
    await latest.getByText(`固定单位：${zhujian}`).waitFor();
    expect(await latest.getByText(admin.username).count()).to.be.greaterThan(0);
    await screenshot(page, 'admin-03-rule-versions');
    expect(screen.problems.filter((p) => !/status of 400/.test(p))).to.deep.equal([]);
  });

  it('when an admin disables a user, then the console that user has open goes back to the login page, its data gone, and says why, the operator\'s desk included', async () => {
    const handler = await createStaff('handler', TANYI);
    const theirs = await open();
    await logIn(theirs.page, handler.username, STAFF_PASSWORD);
    await theirs.page.getByRole('tab', { name: '待签收' }).waitFor();
    const operator = await createStaff('operator');
    const desk = await open();
    await logIn(desk.page, operator.username, STAFF_PASSWORD);
    await desk.page.getByLabel('来电号码').waitFor();

    const screen = await openAsAdmin();
    await goTo(screen, '用户管理');
    const { page } = screen;
    const disable = async (username: string, shot?: string): Promise<void> => {
      await page.getByLabel('用户名').fill(username);
      await page.getByRole('button', { name: `停用 ${username}` }).click();
      if (shot) await screenshot(page, shot);
      await page.getByRole('button', { name: '停用', exact: true }).click();
      await page.getByText(`已停用 ${username}`).waitFor();
    };
    await disable(handler.username, 'admin-05-user-disable-confirm');
    await screenshot(page, 'admin-04-users');
    await disable(operator.username);
    await desk.page.getByRole('button', { name: '登录', exact: true }).waitFor({ timeout: LOGOUT_TIMEOUT_MS });
    await desk.page.getByText('您的登录已被终止（账号已停用或权限已变更），请重新登录。').waitFor();
    expect(await desk.page.getByLabel('来电号码').count()).to.equal(0);

    await theirs.page.getByRole('button', { name: '登录', exact: true }).waitFor({ timeout: LOGOUT_TIMEOUT_MS });
    await theirs.page.getByText('您的登录已被终止（账号已停用或权限已变更），请重新登录。').waitFor();
    expect(await theirs.page.evaluate("sessionStorage.getItem('hotline-hub.session')")).to.equal(null);
    expect(await theirs.page.getByRole('tab', { name: '待签收' }).count()).to.equal(0);
    await screenshot(theirs.page, 'admin-06-disabled-user-logged-out');

    await theirs.page.getByLabel('用户名').fill(handler.username);
    await theirs.page.getByLabel('密码').fill(STAFF_PASSWORD);
    await theirs.page.getByRole('button', { name: '登录', exact: true }).click();
    await theirs.page.getByText('用户名或密码错误。').waitFor();
  });

  it('when an admin designates the head of a disclosure office, then the list marks the account and the API shows it', async () => {
    const handler = await createStaff('handler', '371325-disclosure');
    const screen = await openAsAdmin();
    await goTo(screen, '用户管理');
    const { page } = screen;
    await page.getByLabel('用户名').fill(handler.username);
    await page.getByRole('button', { name: `修改角色和单位 ${handler.username}` }).click();
    // Element Plus hides the native box under its own: the label is what a user clicks.
    await page.getByText('政府信息公开工作机构负责人', { exact: true }).click();
    expect(await page.getByRole('checkbox', { name: /政府信息公开工作机构负责人/ }).isChecked()).to.equal(true);
    await screenshot(page, 'admin-07-user-disclosure-head');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.getByText('公开办负责人').waitFor();
    const { body } = await request('GET', `/api/users/${handler.id}`, { token: (await createStaff('admin')).token });
    expect(body).to.include({ disclosureHead: true });
    expect(screen.problems).to.deep.equal([]);
  });

  it('when a supervisor opens 系统管理, then it lists only what the centre may read, and the rules can be simulated but not edited', async () => {
    const supervisor = await createStaff('supervisor');
    const screen = await open();
    await logIn(screen.page, supervisor.username, STAFF_PASSWORD);
    const { page } = screen;
    await page.getByRole('menuitem', { name: '系统管理' }).click();
    await page.getByRole('menuitem', { name: '审计日志' }).waitFor();
    for (const hidden of ['用户管理', '渠道设置']) expect(await page.getByRole('menuitem', { name: hidden }).count(), hidden).to.equal(0);
    await page.getByRole('menuitem', { name: '分派规则' }).click();
    await page.getByRole('button', { name: '模拟分派' }).waitFor();
    await page.getByRole('button', { name: /^版本 / }).first().waitFor();
    expect(await page.getByRole('button', { name: /^编辑 / }).count()).to.equal(0);
    expect(await page.getByRole('button', { name: '新建规则' }).count()).to.equal(0);
    expect(await page.getByRole('switch').first().isDisabled()).to.equal(true);
    await page.goto(`${harness().baseUrl}/console/users`);
    await page.getByRole('tab', { name: '待签收' }).waitFor();
    expect(screen.problems).to.deep.equal([]);
  });

  it('when an admin opens each administration screen, then it shows its data at 1366×768 (screenshots kept)', async () => {
    const screen = await openAsAdmin();
    const { page } = screen;

    await page.getByRole('menuitem', { name: '系统管理' }).click();
    await page.getByRole('menuitem', { name: '办理时限' }).waitFor();
    await screenshot(page, 'admin-00-menu');
    await page.getByRole('menuitem', { name: '办理时限' }).click();
    await page.getByRole('cell', { name: 'default-any-any', exact: true }).waitFor();
    await screenshot(page, 'admin-07-policies');
    await page.getByRole('button', { name: '编辑 default-petition-any' }).click();
    await page.getByLabel('答复时限', { exact: true }).waitFor();
    await screenshot(page, 'admin-08-policy-editor');
    await page.getByRole('button', { name: '取消' }).click();

    await goTo(screen, '工作日历');
    await page.getByRole('button', { name: /^2月14日 调休上班 春节/ }).waitFor();
    await screenshot(page, 'admin-09-calendar');
    await page.getByLabel('年度').click({ force: true });
    await page.getByRole('option', { name: '2028 年' }).click();
    await page.getByText('2028 年尚无国务院节假日安排').waitFor();
    await page.getByRole('button', { name: /^3月15日 工作日/ }).click();
    expect(await page.getByLabel('日期', { exact: true }).inputValue()).to.equal('2028-03-15');
    await page.getByLabel('说明').fill('市政府通知停工');
    await page.getByRole('button', { name: '保存调整' }).click();
    await page.getByRole('button', { name: /^3月15日 节假日（本地调整：市政府通知停工）/ }).waitFor();
    await screenshot(page, 'admin-10-calendar-provisional');
    await page.getByRole('button', { name: '取消调整 2028-03-15' }).click();
    await page.getByText('本年度没有本地调整。').waitFor();

    // A whole year's schedule from a file: a wrong one is refused in words before anything is sent;
    // last year's own national schedule loads again unchanged.
    const uploadYear = new Date().getFullYear() - 1;
    await page.getByLabel('年度').click({ force: true });
    await page.getByRole('option', { name: `${uploadYear} 年` }).click();
    const file = (body: unknown) => ({ name: 'schedule.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(body)) });
    await page.getByLabel('安排文件（JSON）').setInputFiles(file({ overrides: [{ date: `${uploadYear}-02-30`, kind: 'holiday' }, { date: `${uploadYear}-05-01`, kind: 'off' }] }));
    await page.getByRole('button', { name: `导入 ${uploadYear} 年安排` }).click();
    const errors = page.getByRole('alert').filter({ hasText: '第 1 项：日期须为 YYYY-MM-DD 格式的真实日期' });
    await errors.getByText('第 2 项：kind 须为 "holiday"（休息）或 "workday"（上班）').waitFor();
    await screenshot(page, 'admin-10b-calendar-upload-refused');
    const national = await request('GET', `/api/calendar/years/${uploadYear}`, { token: admin.token });
    const days = national.body.days.filter((d: { source: string }) => d.source === 'national').map((d: { date: string; kind: string; name?: string }) => ({ date: d.date, kind: d.kind, note: d.name }));
    await page.getByLabel('安排文件（JSON）').setInputFiles(file({ year: uploadYear, overrides: days }));
    await page.getByRole('button', { name: `导入 ${uploadYear} 年安排` }).click();
    await page.getByText(`已导入 ${uploadYear} 年全年安排（${days.length} 天）`).waitFor();
    const loaded = await request('GET', `/api/calendar/overrides?year=${uploadYear}`, { token: admin.token });
    expect(loaded.body.loadedYears).to.include(uploadYear);
    expect(loaded.body.overrides.map((o: { date: string }) => o.date).sort()).to.deep.equal(days.map((d: { date: string }) => d.date).sort());

    await goTo(screen, '组织机构');
    await page.getByLabel('查找单位').fill('tyz');
    await page.getByText('探沂镇', { exact: true }).click();
    await page.getByRole('complementary').getByText('371325105').waitFor();
    await screenshot(page, 'admin-11-units');
    // A new unit under the township, found by its pinyin initials, then disabled.
    const unitCode = `371325105-e${crypto.randomBytes(3).toString('hex')}`;
    await page.getByRole('button', { name: '新建下级单位 探沂镇' }).click();
    await page.getByLabel('单位编码').fill(unitCode);
    await page.getByLabel('名称', { exact: true }).fill('探沂镇便民服务站');
    await screenshot(page, 'admin-11b-unit-create');
    await page.getByRole('button', { name: '保存单位' }).click();
    await page.getByText('已保存 探沂镇便民服务站。').waitFor();
    await page.getByLabel('查找单位').fill('tyzbmfwz');
    await page.getByRole('complementary').getByText(unitCode).waitFor();
    await page.getByRole('button', { name: '停用 探沂镇便民服务站' }).click();
    await page.getByText(/^已停用 探沂镇便民服务站/).waitFor();
    await page.getByRole('treeitem').filter({ hasText: unitCode }).getByText('已停用').waitFor();
    const picker = await request('GET', '/api/units?q=tyzbmfwz', { token: admin.token });
    expect(picker.body.items.map((u: { code: string }) => u.code)).to.not.include(unitCode);
    await screenshot(page, 'admin-11c-unit-disabled');

    await goTo(screen, '渠道设置');
    await page.getByRole('button', { name: '设置 政务微博' }).click();
    await page.getByLabel('签名密钥').fill('short');
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.getByText('内容过短').waitFor();
    await screenshot(page, 'admin-12-channels');
    await page.getByRole('button', { name: '取消' }).click();

    // 发送测试 goes out to a real receiver and shows its answer.
    const received: string[] = [];
    const receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(req.url ?? '');
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const replyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/reply`;
      const put = await request('PUT', '/api/channels/web_qa', { token: admin.token, body: { secret: `e2e-${crypto.randomBytes(12).toString('hex')}`, replyUrl } });
      expect(put.status, put.text).to.equal(200);
      await page.reload();
      await page.getByRole('button', { name: '发送测试 网上问政' }).click();
      await page.getByRole('button', { name: '发送', exact: true }).click();
      await page.getByTestId('channel-test-result').getByText(/^已送达 http:\/\/127\.0\.0\.1:\d+（HTTP 204，用时 \d+ ms）$/).waitFor();
      expect(received).to.deep.equal(['/reply']);
      await screenshot(page, 'admin-12b-channel-test');
      await page.getByRole('button', { name: '取消' }).click();
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }

    await goTo(screen, '审计日志');
    await page.getByLabel('操作人').fill(admin.username);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('cell', { name: admin.username, exact: true }).first().waitFor();
    await screenshot(page, 'admin-13-audit');
    expect(screen.problems.filter((p) => !/status of 400/.test(p))).to.deep.equal([]);
  });
});
