import { fileURLToPath } from 'node:url';
import { lintFromString, loadConfig } from '@redocly/openapi-core';
import { expect } from 'chai';
import { request } from '../support/http.js';

const CONFIG = fileURLToPath(new URL('../../redocly.yaml', import.meta.url));
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

interface Operation {
  operationId?: string;
  responses?: Record<string, unknown>;
}

describe('the OpenAPI document under a maintained linter (Redocly, redocly.yaml)', () => {
  let doc: { paths: Record<string, Record<string, Operation>> };

  before(async () => {
    doc = (await request('GET', '/api/openapi.json')).body;
  });

  it('when linted with the recommended rules, then it has no problem at all, warnings included', async () => {
    const config = await loadConfig({ configPath: CONFIG });

    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: '/api/openapi.json', config });

    const summary = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
    expect(summary).to.deep.equal([]);
  });

  it('when every operation is read, then each has a unique camelCase operationId and an error response', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).filter(([m]) => HTTP_METHODS.has(m)).map(([method, op]) => ({ at: `${method} ${path}`, op })));
    const ids = operations.map((o) => o.op.operationId);

    expect(operations.length).to.be.above(50);
    expect(operations.filter((o) => !/^[a-z][A-Za-z0-9]+$/.test(o.op.operationId ?? '')).map((o) => o.at)).to.deep.equal([]);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(operations.filter((o) => !Object.keys(o.op.responses ?? {}).some((s) => s === 'default' || /^[45]/.test(s))).map((o) => o.at)).to.deep.equal([]);
  });
});
