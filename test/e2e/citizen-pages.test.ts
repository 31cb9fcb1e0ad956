import { expect } from 'chai';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { createStaff, type Staff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { freshIp, request } from '../support/http.js';
import { startMailboxServer } from '../support/mailbox-server.js';

const TANYI = '371325105';
// How long the page may take to show a change pushed over Socket.IO.
const LIVE_TIMEOUT_MS = 10_000;
// Marks the document in the page (evaluated in the browser): a reload would lose the mark.
const MARK_DOCUMENT = "document.documentElement.dataset.sameDocument = 'yes'";
const MARKED = 'document.documentElement.dataset.sameDocument';

interface OpenedPage {
  readonly page: Page;
  /** Uncaught exceptions, console errors (CSP violations among them) and failed same-origin requests. */
  readonly problems: string[];
  /** Every request the page made to the API, as `METHOD path`. */
  readonly apiCalls: string[];
}

describe('citizen pages in headless Chromium: /mailbox and / (track, chase, rate)', function () {
  this.timeout(90_000);
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async function () {
    // Installing Chromium with apt-get, when it is missing, takes a while.
    this.timeout(600_000);
    browser = await launchChromium();
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
  });

  // A phone-sized window in China; its own client address so that per-IP rate limits of other tests do not apply.
  async function open(path: string, baseUrl = harness().baseUrl): Promise<OpenedPage> {
    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 1,
      extraHTTPHeaders: { 'x-forwarded-for': freshIp() },
    });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    const apiCalls: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
    });
    page.on('request', (req: Request) => {
      const url = new URL(req.url());
      if (url.pathname.startsWith('/api/')) apiCalls.push(`${req.method()} ${url.pathname}`);
    });
    page.on('requestfailed', (req: Request) => {
      // Socket.IO closes its own connections on purpose (transport upgrade, page close); a navigation aborts what is still loading.
      if (!req.url().includes('/socket.io/') && req.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`);
    });
    await page.goto(`${baseUrl}${path}`);
    return { page, problems, apiCalls };
  }

  async function caseIdOf(caseNo: string, operator: Staff): Promise<string> {
    const res = await request('GET', `/api/cases?q=${caseNo}`, { token: operator.token });
    expect(res.status, res.text).to.equal(200);
    const found = (res.body.items as { id: string; caseNo: string }[]).find((c) => c.caseNo === caseNo);
    expect(found, `case ${caseNo} in GET /api/cases?q=`).to.not.equal(undefined);
    return found?.id ?? '';
  }

  async function act(by: Staff, caseId: string, body: Record<string, unknown>): Promise<void> {
    const res = await request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });
    expect(res.status, res.text).to.equal(200);
  }

  async function until(condition: () => boolean, what: string): Promise<void> {
    for (let waited = 0; !condition(); waited += 50) {
      if (waited > LIVE_TIMEOUT_MS) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const statusOf = (page: Page) => page.locator('#status');
  const timelineEntries = (page: Page) => page.locator('#timeline li');

  it('when /mailbox is sent without a phone number, then the field says so and nothing is sent', async () => {
    const { page, problems, apiCalls } = await open('/mailbox');
    await page.getByLabel('标题').fill('路灯不亮');
    await page.getByLabel('内容').fill('小区门口路灯已经坏了一周');

    await page.getByRole('button', { name: '提交' }).click();

    expect(await page.locator('#phone-error').textContent()).to.equal('请填写联系电话（手机号或固定电话）。');
    expect(await page.locator('#phone').getAttribute('aria-invalid')).to.equal('true');
    expect(await page.evaluate('document.activeElement.id')).to.equal('phone');
    await page.getByLabel('联系电话').fill('12');
    await page.getByLabel('标题').fill('灯');
    await page.getByRole('button', { name: '提交' }).click();
    expect(await page.locator('#phone-error').textContent()).to.match(/请填写正确的手机号或固定电话/);
    expect(await page.locator('#title-error').textContent()).to.equal('标题至少2个字。');
    await page.screenshot({ path: '/tmp/mailbox-errors.png', fullPage: true });
    expect(apiCalls).to.deep.equal([]);
    expect(await page.locator('#receipt').isHidden()).to.equal(true);
    expect(problems).to.deep.equal([]);
  });

  it('when the server refuses a field the page let through, then its message appears next to that field and the text stays', async () => {
    const { page, problems, apiCalls } = await open('/mailbox');
    await page.getByLabel('联系电话').fill('0539-8123456');
    // The page's e-mail check is looser than the server's: an underscore in the domain passes here only.
    await page.getByLabel('电子邮箱').fill('zhang@mail_box.com');
    await page.getByLabel('标题').fill('咨询公交线路');
    await page.getByLabel('内容').fill('请问到探沂镇的公交车几点发车？');

    await page.getByRole('button', { name: '提交' }).click();

    await page.locator('#form-message', { hasText: '填写的内容不符合要求' }).waitFor();
    expect(apiCalls).to.deep.equal(['POST /api/public/mailbox']);
    expect(await page.locator('#email-error').textContent()).to.equal('电子邮箱不符合要求，请检查后重新填写。');
    expect(await page.locator('#email').getAttribute('aria-invalid')).to.equal('true');
    expect(await page.evaluate('document.activeElement.id')).to.equal('email');
    expect(await page.locator('#content').inputValue()).to.equal('请问到探沂镇的公交车几点发车？');
    expect(await page.locator('#receipt').isHidden()).to.equal(true);
    expect(problems.filter((p) => !/\b400\b.*\/api\/public\/mailbox\)$/.test(p))).to.deep.equal([]);
  });

  it('when traffic is unusual, then the form shows a captcha (验证码, 换一张) and refuses a wrong answer in words, keeping the letter', async () => {
    // A server whose threshold is 0: every letter is unusual traffic there.
    const server = await startMailboxServer({ captchaAfter: { global: 0 } });
    try {
      const { page, problems, apiCalls } = await open('/mailbox', server.url);
      await page.getByLabel('联系电话').fill('13900003333');
      await page.getByLabel('标题').fill('小区噪音扰民');
      await page.getByLabel('内容').fill('楼下商铺每晚音响声很大，影响休息。');
      expect(await page.getByLabel('验证码').isVisible()).to.equal(false);

      await page.getByRole('button', { name: '提交' }).click();

      await page.locator('#captcha-field').waitFor({ state: 'visible' });
      await page.locator('#captcha-image[src^="data:image/svg+xml"]').waitFor();
      expect(await page.locator('#form-message').textContent()).to.equal('当前来信较多，请输入验证码后再提交。');
      expect(await page.evaluate('document.activeElement.id')).to.equal('captcha');
      const firstImage = await page.locator('#captcha-image').getAttribute('src');
      await page.getByRole('button', { name: '换一张' }).click();
      await page.locator('#captcha-image').and(page.locator(`[src^="data:image/svg+xml"]:not([src="${firstImage ?? ''}"])`)).waitFor();
      await page.screenshot({ path: '/tmp/mailbox-captcha.png', fullPage: true });

      // Five characters can never be the four of the picture.
      await page.getByLabel('验证码').fill('wrong');
      await page.getByRole('button', { name: '提交' }).click();

      await page.locator('#form-message', { hasText: '验证码不正确或已失效' }).waitFor();
      expect(await page.locator('#captcha-error').textContent()).to.equal('验证码不正确或已失效，请输入新图片中的字符。');
      expect(await page.getByLabel('验证码').inputValue()).to.equal('');
      expect(await page.getByLabel('内容').inputValue()).to.equal('楼下商铺每晚音响声很大，影响休息。');
      expect(await page.locator('#receipt').isHidden()).to.equal(true);
      await page.screenshot({ path: '/tmp/mailbox-captcha-wrong.png', fullPage: true });
      expect(apiCalls.filter((c) => c === 'POST /api/public/mailbox')).to.have.length(2);
      // The 428 and the 400 are the answers this test asks for, not page problems.
      expect(problems.filter((p) => !/\b(428|400)\b.*\/api\/public\/mailbox\)$/.test(p))).to.deep.equal([]);
    } finally {
      await server.stop();
    }
  });

  it('when a case number and a wrong code are looked up, then the page says the number or code is wrong', async () => {
    const { page, problems } = await open('/?caseNo=202001010000001&code=000000');

    await page.locator('#lookup-message', { hasText: '编号或查询码不正确' }).waitFor();

    expect(await page.locator('#case').isHidden()).to.equal(true);
    await page.getByLabel('查询码').fill('12');
    await page.getByRole('button', { name: '查询' }).click();
    expect(await page.locator('#query-code-error').textContent()).to.equal('查询码应为6位数字。');
    // The 404 of the lookup is the expected answer, not a page problem.
    expect(problems.filter((p) => !/\b404\b.*\/api\/public\/cases\//.test(p))).to.deep.equal([]);
  });

  it('when a case is locked after ten wrong codes, then the receipt link still opens it on the page, and the code alone does not', async () => {
    const { body: receipt } = await request('POST', '/api/public/mailbox', {
      ip: freshIp(),
      body: { phone: '13900002222', title: '路灯不亮', content: `临沂市费县探沂镇朱田村北路灯不亮 ${Date.now()}`, address: '临沂市费县探沂镇朱田村北', type: 'complaint' },
    });
    for (let n = 1; n <= 10; n += 1) {
      const wrong = String((Number(receipt.queryCode) + n) % 1_000_000).padStart(6, '0');
      expect((await request('GET', `/api/public/cases/${receipt.caseNo}?code=${wrong}`, { ip: freshIp() })).status).to.equal(404);
    }

    const locked = await open(`/?caseNo=${receipt.caseNo}&code=${receipt.queryCode}`);
    await locked.page.locator('#lookup-message').filter({ hasNotText: /^$|正在查询/ }).waitFor();
    const linked = await open(receipt.trackUrl);
    await linked.page.locator('#case-no-shown').filter({ hasText: receipt.caseNo }).waitFor();

    expect(await locked.page.locator('#case').isHidden()).to.equal(true);
    expect(await linked.page.locator('#case').isVisible()).to.equal(true);
    await linked.page.locator('#connection[data-state="connected"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(linked.problems).to.deep.equal([]);
  });

  it('when a citizen writes to the mailbox and tracks the case, then a handler\'s accept and reply show live, 催办 works, and 不满意 reopens the case', async () => {
    const { page, problems, apiCalls } = await open('/mailbox');
    await page.getByLabel('姓名').fill('张三');
    await page.getByLabel('联系电话').fill('13812341234');
    await page.getByLabel('诉求类型').selectOption({ label: '投诉' });
    await page.getByLabel('事发地址').fill('临沂市费县探沂镇朱田村东');
    await page.getByLabel('标题').fill('村东路灯不亮');
    await page.getByLabel('内容').fill(`朱田村东头的路灯已经坏了一周，晚上出行不便，请尽快维修。我的电话13812341234。编号${Date.now()}`);
    await page.screenshot({ path: '/tmp/mailbox-form.png', fullPage: true });

    await page.getByRole('button', { name: '提交' }).click();

    await page.locator('#receipt').waitFor();
    const caseNo = (await page.locator('#receipt-case-no').textContent()) ?? '';
    const code = (await page.locator('#receipt-code').textContent()) ?? '';
    expect(caseNo).to.match(/^\d{15,20}$/);
    expect(code).to.match(/^\d{6}$/);
    expect(apiCalls).to.deep.equal(['POST /api/public/mailbox']);
    await page.screenshot({ path: '/tmp/mailbox-receipt.png', fullPage: true });
    expect(problems).to.deep.equal([]);

    // The link on the receipt opens the tracking page for this case.
    await page.getByRole('link', { name: '查看办理进度' }).click();
    await page.waitForURL((url) => url.pathname === '/' && url.searchParams.get('caseNo') === caseNo && url.searchParams.get('code') === code);
    await statusOf(page).filter({ hasText: '已派单' }).waitFor();
    expect(await page.locator('#case-unit').textContent()).to.equal('探沂镇');
    expect(await page.locator('#case-no-shown').textContent()).to.equal(caseNo);
    expect(await page.locator('#case-type').textContent()).to.equal('投诉');
    const content = (await page.locator('#case-content').textContent()) ?? '';
    expect(content).to.include('138****1234').and.not.include('13812341234');
    // 5 working days end at midnight, shown as 24:00 of the last day.
    expect(await page.locator('#reply-by').textContent()).to.match(/^\d{4}\/\d{2}\/\d{2} 24:00$/);
    expect(await page.locator('#escalate').isVisible()).to.equal(true);
    expect(await page.locator('#rate').isHidden()).to.equal(true);
    await page.locator('#connection[data-state="connected"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.screenshot({ path: '/tmp/track-dispatched.png', fullPage: true });
    await page.evaluate(MARK_DOCUMENT);
    const entriesBefore = await timelineEntries(page).count();

    const operator = await createStaff('operator');
    const handler = await createStaff('handler', TANYI);
    const caseId = await caseIdOf(caseNo, operator);

    await act(handler, caseId, { action: 'accept' });
    await statusOf(page).filter({ hasText: '办理中' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await timelineEntries(page).filter({ hasText: '签收' }).waitFor({ timeout: LIVE_TIMEOUT_MS });

    // 催办 while the case is open; a second one within 24 hours is refused with a clear message.
    await page.getByLabel('催办理由').fill('路灯还是不亮，请尽快处理');
    await page.getByRole('button', { name: '催办', exact: true }).click();
    await page.locator('#escalate-message', { hasText: '催办已提交' }).waitFor();
    await timelineEntries(page).filter({ hasText: '催办' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.getByLabel('催办理由').fill('再次催办');
    await page.getByRole('button', { name: '催办', exact: true }).click();
    await page.locator('#escalate-message', { hasText: /操作过于频繁|24小时内已催办过/ }).waitFor();

    const reply = '经核实，朱田村东路灯线路老化，已于今日更换，恢复照明。';
    await act(handler, caseId, { action: 'reply', reply });
    await statusOf(page).filter({ hasText: '已答复' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.locator('#reply', { hasText: reply }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.locator('#rate').waitFor({ state: 'visible' });
    expect(await page.locator('#escalate').isHidden()).to.equal(true);
    expect(await timelineEntries(page).count()).to.be.greaterThan(entriesBefore + 2);
    await page.screenshot({ path: '/tmp/track-replied.png', fullPage: true });

    await page.getByLabel('不满意').check();
    await page.getByLabel('评价意见').fill('路灯白天亮晚上不亮，问题没有解决');
    await page.getByRole('button', { name: '提交评价' }).click();

    await statusOf(page).filter({ hasText: '已派单' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.locator('#notice', { hasText: '重新办理' }).waitFor();
    await timelineEntries(page).filter({ hasText: '市民评价' }).filter({ hasText: '不满意' }).waitFor();
    // The newest entry is the reopen, back to the unit: 已派单.
    const last = timelineEntries(page).last();
    expect(await last.textContent()).to.include('重新办理').and.include('已派单');
    expect(await page.locator('#rate').isHidden()).to.equal(true);
    expect(await page.locator('#escalate').isVisible()).to.equal(true);
    expect(await page.evaluate(MARKED)).to.equal('yes');
    await page.screenshot({ path: '/tmp/track-reopened.png', fullPage: true });

    const { body: reopened } = await request('GET', `/api/cases/${caseId}`, { token: operator.token });
    expect(reopened.status).to.equal('dispatched');
    // The second 催办's 429 is the expected answer, not a page problem.
    expect(problems.filter((p) => !/\b429\b.*\/escalations\)$/.test(p))).to.deep.equal([]);
  });

  it('when a petition is answered, then the page shows it accepted and asks for 复查; the request is sent and the page shows it under review', async () => {
    const operator = await createStaff('operator');
    const office = await createStaff('handler', '371325-petitions');
    const phone = `137${String(Date.now()).slice(-8)}`;
    const intake = await request('POST', '/api/cases', {
      token: operator.token,
      body: { channel: 'letter', type: 'petition', title: '宅基地纠纷', content: `反映邻居占用我家宅基地，请求处理 ${phone}`, address: '临沂市费县探沂镇', citizen: { name: '孙七', phone } },
    });
    expect(intake.status, intake.text).to.equal(201);
    const c = intake.body;
    await act(office, c.id, { action: 'accept_petition' });
    await act(office, c.id, { action: 'reply', reply: '经调查，宅基地界址清楚，不存在占用。' });
    const { page, problems } = await open(`/?caseNo=${c.caseNo}&code=${c.queryCode}`);

    await page.locator('#petition', { hasText: '已受理' }).waitFor();
    await page.getByRole('button', { name: '申请复查' }).click();
    expect(await page.locator('#review-reason-error').textContent()).to.equal('申请理由至少2个字。');
    await page.getByLabel('申请理由').fill('对答复不服，界址认定有误');
    await page.getByRole('button', { name: '申请复查' }).click();

    await page.locator('#petition', { hasText: '已申请复查' }).waitFor();
    expect(await page.locator('#review').isHidden()).to.equal(true);
    expect(await page.locator('#notice').textContent()).to.include('30日内');
    expect(problems).to.deep.equal([]);
  });

  it('when the connection drops while the case changes, then the page reconnects and catches up without reload', async () => {
    const { body: receipt } = await request('POST', '/api/public/mailbox', {
      ip: freshIp(),
      body: { phone: '13900001111', title: '探沂镇路灯不亮', content: `临沂市费县探沂镇朱田村西路灯不亮 ${Date.now()}`, address: '临沂市费县探沂镇朱田村西', type: 'complaint' },
    });
    const { page, problems, apiCalls } = await open(`/?caseNo=${receipt.caseNo}&code=${receipt.queryCode}`);
    await page.locator('#connection[data-state="connected"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    const catchUps = () => apiCalls.filter((call) => call === `GET /api/public/cases/${receipt.caseNo}/events`).length;
    // The first catch-up follows the first track; count from there.
    await until(() => catchUps() > 0, 'the first catch-up request');
    const catchUpsBefore = catchUps();
    await page.evaluate(MARK_DOCUMENT);

    await page.context().setOffline(true);
    await page.locator('#connection[data-state="reconnecting"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.screenshot({ path: '/tmp/track-reconnecting.png', fullPage: true });
    const operator = await createStaff('operator');
    const handler = await createStaff('handler', TANYI);
    await act(handler, await caseIdOf(receipt.caseNo, operator), { action: 'accept' });
    await page.context().setOffline(false);

    await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 30_000 });
    await statusOf(page).filter({ hasText: '办理中' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await timelineEntries(page).filter({ hasText: '签收' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await page.evaluate(MARKED)).to.equal('yes');
    // After the reconnect the page tracked again and asked for the events it missed.
    expect(catchUps()).to.be.greaterThan(catchUpsBefore);
    expect(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|WebSocket/.test(p))).to.deep.equal([]);
  });

  it('when a page is opened by host name over plain HTTP (a phone on the LAN), then its styles and scripts load', async () => {
    const lan = await launchChromium(['--host-resolver-rules=MAP hotline.test 127.0.0.1']);
    try {
      const page = await lan.newPage({ extraHTTPHeaders: { 'x-forwarded-for': freshIp() } });
      const failed: string[] = [];
      page.on('requestfailed', (req) => failed.push(`${req.url()} ${req.failure()?.errorText ?? ''}`));
      await page.goto(`http://hotline.test:${new URL(harness().baseUrl).port}/mailbox`);
      await page.getByRole('button', { name: '提交' }).click();
      // The message comes from mailbox.js; the colour of the header from style.css.
      await page.locator('#phone-error', { hasText: '请填写联系电话' }).waitFor();
      expect(await page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")).to.equal('rgb(11, 79, 156)');
      expect(failed).to.deep.equal([]);
    } finally {
      await lan.close();
    }
  });

  it('when the pages are fetched, then HTML is revalidated, assets are cached briefly, and both are listed in the OpenAPI document', async () => {
    const index = await request('GET', '/');
    expect(index.status).to.equal(200);
    expect(index.headers.get('content-type')).to.match(/^text\/html/);
    expect(index.headers.get('cache-control')).to.equal('no-cache');
    expect(index.text).to.include('<html lang="zh-CN">');
    const form = await request('GET', '/mailbox');
    expect(form.status).to.equal(200);
    expect(form.text).to.include('市长信箱');
    const script = await request('GET', '/track.js');
    expect(script.headers.get('content-type')).to.match(/javascript/);
    expect(script.headers.get('cache-control')).to.equal('public, max-age=300');
    expect(script.headers.get('etag')).to.be.a('string');
    expect((await request('GET', '/nothing-here.js')).status).to.equal(404);
    const policy = index.headers.get('content-security-policy') ?? '';
    expect(policy).to.include("script-src 'self'").and.include("style-src 'self'").and.not.include('unsafe-inline').and.not.include('upgrade-insecure-requests');
    const { body: doc } = await request('GET', '/api/openapi.json');
    expect(doc.paths['/']?.get?.tags).to.deep.equal(['pages']);
    expect(doc.paths['/mailbox']?.get?.tags).to.deep.equal(['pages']);
  });
});
