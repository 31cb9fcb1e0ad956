import fs from 'node:fs';
import express, { type Express, type Request, type Response } from 'express';
import { fileURLToPath } from 'node:url';
import { notFound } from '../../errors.js';
import { describeRoute } from '../http/route.js';
import { PAGE_CSP } from '../page-csp.js';

/** Where `vite build` puts the staff console (web/console/), gitignored. */
export const CONSOLE_DIST = fileURLToPath(new URL('../../dist/console/', import.meta.url));

// The citizen pages' policy, except that Element Plus positions popups and sets widths through
// inline style attributes: 'unsafe-inline' for styles only; scripts stay 'self'.
const CONSOLE_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

// Shown while a fresh clone's first `npm start` is still building the console in the background.
const BUILDING_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">
<title>控制台正在构建</title></head><body style="font-family:sans-serif;text-align:center;padding-top:20vh">
<h1>控制台正在构建，请稍候</h1><p>首次启动时需要约半分钟，本页会自动刷新。</p></body></html>`;

/**
 * The staff console at /console/: built assets (hashed names, cached for good) and, for every
 * other path under /console/, index.html, so that history routes like /console/cases/:id load
 * the app on a reload. Until the first build lands, a page that says so and refreshes itself.
 */
export function consolePages(app: Express): void {
  describeRoute({
    method: 'get',
    operationId: 'getStaffConsole',
    path: '/console',
    tag: 'pages',
    summary: 'The staff console (Vue single-page app) under /console/ (this path redirects there): /console/intake, /console/queue, /console/cases/{id}; login at /console/',
    access: 'public',
    responses: { 200: { type: 'string', contentMediaType: 'text/html' }, 301: { type: 'string' }, 503: { type: 'string', contentMediaType: 'text/html' } },
  });
  app.use(
    '/console/assets',
    express.static(`${CONSOLE_DIST}assets`, { index: false, redirect: false, immutable: true, maxAge: '365d' }),
    // An asset of an older build is gone; the SPA fallback must not answer it with HTML.
    (_req: Request, _res: Response) => {
      throw notFound('Asset');
    },
  );
  app.get('/console{/*route}', (req: Request, res: Response) => {
    // Relative asset paths and the router's base need the trailing slash.
    if (req.originalUrl.split('?')[0] === '/console') {
      res.redirect(301, '/console/');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    const index = `${CONSOLE_DIST}index.html`;
    if (fs.existsSync(index)) {
      res.sendFile(index);
      return;
    }
    res.status(503).setHeader('Retry-After', '3').type('html').send(BUILDING_PAGE);
  });
}
