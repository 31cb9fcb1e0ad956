import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { request } from '../support/http.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REDOCLY = path.join(ROOT, 'node_modules/.bin/redocly');
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

interface Operation {
  operationId?: string;
  responses?: Record<string, unknown>;
}

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

/** Runs `redocly lint` on the document with the project's redocly.yaml, offline and quiet. */
async function lint(doc: unknown): Promise<LintReport> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'openapi-lint-'));
  try {
    const file = path.join(dir, 'openapi.json');
    await fs.writeFile(file, JSON.stringify(doc));
    const { stdout } = await promisify(execFile)(REDOCLY, ['lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--format', 'json'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    return JSON.parse(stdout.slice(stdout.indexOf('{'))) as LintReport;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

describe('the OpenAPI document under a maintained linter (redocly lint, redocly.yaml)', function () {
  this.timeout(60_000);
  let doc: { paths: Record<string, Record<string, Operation>> };

  before(async () => {
    doc = (await request('GET', '/api/openapi.json')).body;
  });

  it('when linted with the recommended rules, then it has no problem at all, warnings included', async () => {
    const report = await lint(doc);

    expect(report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`)).to.deep.equal([]);
    expect(report.totals).to.include({ errors: 0, warnings: 0 });
  });

  it('when a document lacks operationIds, then the same lint reports them (the check can fail)', async () => {
    const [firstPath, item] = Object.entries(doc.paths)[0] ?? [];
    const [method, op] = Object.entries(item ?? {}).find(([m]) => HTTP_METHODS.has(m)) ?? [];
    const broken = { ...doc, paths: { [String(firstPath)]: { [String(method)]: { ...op, operationId: undefined } } } };

    const report = await lint(broken);

    expect(report.problems.map((p) => p.ruleId)).to.include('operation-operationId');
  });

  it('when every operation is read, then each has a unique camelCase operationId and an error response', () => {
    const operations = Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).filter(([m]) => HTTP_METHODS.has(m)).map(([method, op]) => ({ at: `${method} ${p}`, op })));
    const ids = operations.map((o) => o.op.operationId);

    expect(operations.length).to.be.above(50);
    expect(operations.filter((o) => !/^[a-z][A-Za-z0-9]+$/.test(o.op.operationId ?? '')).map((o) => o.at)).to.deep.equal([]);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(operations.filter((o) => !Object.keys(o.op.responses ?? {}).some((s) => s === 'default' || /^[45]/.test(s))).map((o) => o.at)).to.deep.equal([]);
  });
});
