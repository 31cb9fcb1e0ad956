import { expect } from 'chai';
import { ensureConsoleBuilt } from '../../scripts/console-build.js';
import { harness } from '../support/harness.js';
import { request } from '../support/http.js';

describe('the staff console at /console/ (history routes, built assets, no sources)', function () {
  before(async function () {
    this.timeout(600_000);
    await ensureConsoleBuilt();
  });

  it('when a history route is opened directly, then the built app answers with its own CSP', async () => {
    for (const path of ['/console/', '/console/queue', '/console/cases/6f1c2a56-8d1e-4c1a-9c55-2b1f7d0e9a10']) {
      const res = await request('GET', path);
      expect(res.status, path).to.equal(200);
      expect(res.text).to.contain('<div id="app"></div>').and.match(/src="\/console\/assets\/index-[\w-]+\.js"/);
      expect(res.headers.get('content-security-policy')).to.contain("script-src 'self'");
    }
  });

  it('when /console is asked without the slash, then it redirects to /console/', async () => {
    const res = await fetch(`${harness().baseUrl}/console`, { redirect: 'manual' });
    expect(res.status).to.equal(301);
    expect(res.headers.get('location')).to.equal('/console/');
  });

  it('when the console’s sources are asked for, then they are not served (only the built app)', async () => {
    const res = await request('GET', '/console/src/main.ts');
    expect(res.text).to.not.contain('createApp(App)');
    expect((await request('GET', '/console/vite.config.ts')).text).to.not.contain('defineConfig');
  });

  it('when a built asset is asked for, then it is cached for good; a missing one is 404', async () => {
    const page = await request('GET', '/console/');
    const script = /src="(\/console\/assets\/index-[\w-]+\.js)"/.exec(page.text)?.[1] ?? '';
    const asset = await request('GET', script);
    expect(asset.status).to.equal(200);
    expect(asset.headers.get('cache-control')).to.contain('immutable');
    expect((await request('GET', '/console/assets/nothing-here.js')).status).to.equal(404);
  });
});
