import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { harness } from './harness.js';
import { freshIp } from './http.js';

/** Where the e2e runs leave their screenshots (gitignored), to be looked at. */
export const SCREENSHOT_DIR = path.resolve('test-output/screenshots');

/** A console page at the size of an office screen, with what went wrong in it collected. */
export interface ConsolePage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught exceptions and console errors, except the API refusals a test provokes on purpose. */
  readonly problems: string[];
}

/** A session put into the page's storage before it loads, as the login form would leave it. */
export interface InjectedSession {
  readonly token: string;
  readonly user: Record<string, unknown>;
  readonly expiresAt: number;
}

/** Opens a fresh browser context (its own session storage and client address) on a console path. */
export async function openConsole(browser: Browser, pathname = '/console/', session?: InjectedSession): Promise<ConsolePage> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 768 },
    deviceScaleFactor: 1,
    extraHTTPHeaders: { 'x-forwarded-for': freshIp() },
  });
  if (session) {
    // Evaluated in the page, before the app's own scripts.
    await context.addInitScript(`sessionStorage.setItem('hotline-hub.session', ${JSON.stringify(JSON.stringify(session))})`);
  }
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // The browser logs every refused request (a 409 the test provokes) as a console error.
    if (message.type() === 'error' && !/status of (401|404|409)/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  await page.goto(`${harness().baseUrl}${pathname}`);
  return { context, page, problems };
}

/** Signs in through the login form. */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
}

/** Saves a full-page screenshot under SCREENSHOT_DIR. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
