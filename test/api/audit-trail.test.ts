import crypto from 'node:crypto';
import { expect } from 'chai';
import { act, buildCase, createStaff, type Staff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { request } from '../support/http.js';

interface AuditRow {
  action: string;
  subject_type: string;
  subject_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

async function auditRowsBy(actorId: string): Promise<AuditRow[]> {
  const { rows } = await harness().pool.query<AuditRow>('SELECT action, subject_type, subject_id, before, after FROM audit_log WHERE actor_id = $1 ORDER BY id', [actorId]);
  return rows;
}

/**
 * Makes PostgreSQL itself refuse inserts into `table` made by one account: a real failure at the
 * point of the insert, scoped to this test's own admin so that no other test is touched. Only the
 * schema's owner may add a trigger.
 */
async function refuseInsertsBy(table: 'audit_log' | 'calendar_overrides', column: string, actorId: string): Promise<() => Promise<void>> {
  const name = `refuse_${crypto.randomBytes(4).toString('hex')}`;
  const pool = harness().ownerPool;
  await pool.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by test trigger ${name}'; END $$`);
  await pool.query(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW WHEN (NEW.${column} = '${actorId}'::uuid) EXECUTE FUNCTION ${name}()`);
  return async () => {
    await pool.query(`DROP TRIGGER ${name} ON ${table}`);
    await pool.query(`DROP FUNCTION ${name}()`);
  };
}

const FALLBACK = { id: 'audit-test-fallback', caseType: '*', urgency: '*', accept: { unit: 'working_days', amount: 1 }, reply: { unit: 'working_days', amount: 15 } };

describe('audit rows in the same transaction as the change they record', () => {
  let admin: Staff;
  let unaudited: Staff;
  let allowAudit: () => Promise<void>;

  before(async () => {
    admin = await createStaff('admin');
    // Every audit insert by this admin fails, as a full disk or a broken audit table would.
    unaudited = await createStaff('admin');
    allowAudit = await refuseInsertsBy('audit_log', 'actor_id', unaudited.id);
  });
  after(async () => allowAudit());

  it('when the audit row of a channel change cannot be written, then 500 and the channel keeps its configuration', async () => {
    const { pool } = harness();
    expect((await request('PUT', '/api/channels/web_qa', { token: admin.token, body: { secret: 'kept-secret-0123456789' } })).status).to.equal(200);
    const res = await request('PUT', '/api/channels/web_qa', { token: unaudited.token, body: { secret: 'unaudited-secret-0123456789' } });
    expect(res.status).to.equal(500);
    expect(res.body.error.code).to.equal('internal');
    const { rows } = await pool.query(`SELECT secret, updated_by FROM channel_configs WHERE channel = 'web_qa'`);
    expect(rows[0]).to.deep.equal({ secret: 'kept-secret-0123456789', updated_by: admin.id });
  });

  it('when a channel changes, then its audit row says whether the secret changed and holds no secret', async () => {
    await request('PUT', '/api/channels/web_qa', { token: admin.token, body: { secret: 'first-secret-0123456789' } });
    await request('PUT', '/api/channels/web_qa', { token: admin.token, body: { secret: 'first-secret-0123456789', replyUrl: 'https://qa.example.org/reply' } });
    const trail = (await auditRowsBy(admin.id)).filter((r) => r.subject_type === 'channel').slice(-2);
    expect(trail.map((r) => r.after)).to.deep.equal([
      { replyUrl: null, secretSet: true, secretChanged: true },
      { replyUrl: 'https://qa.example.org/reply', secretSet: true, secretChanged: false },
    ]);
    expect(trail[1]?.before).to.deep.equal({ replyUrl: null, secretSet: true });
    expect(JSON.stringify(trail)).not.to.include('first-secret');
  });

  it('when the audit row of a new policy set cannot be written, then 500 and the set in force stays; the next set takes the very next version', async () => {
    const before = await request('GET', '/api/time-limit-policies', { token: admin.token });
    const res = await request('PUT', '/api/time-limit-policies', { token: unaudited.token, body: { policies: [FALLBACK] } });
    expect(res.status).to.equal(500);
    const after = await request('GET', '/api/time-limit-policies', { token: admin.token });
    expect(after.body.version).to.equal(before.body.version);
    const restore = before.body.policies.map(({ version: _v, ...p }: Record<string, unknown>) => p);
    const saved = await request('PUT', '/api/time-limit-policies', { token: admin.token, body: { policies: restore } });
    expect(saved.status).to.equal(200);
    expect(saved.body.version).to.equal(before.body.version + 1);
    expect(saved.body.policies.map((p: { version: number }) => p.version)).to.satisfy((vs: number[]) => vs.every((v) => v === saved.body.version));
    const trail = (await auditRowsBy(admin.id)).filter((r) => r.subject_type === 'time_limit_policy');
    expect(trail.at(-1)?.subject_id).to.equal(String(saved.body.version));
  });

  it('when the audit row of a calendar override cannot be written, then 500 and the date is not overridden', async () => {
    const date = '2031-03-03';
    const res = await request('PUT', '/api/calendar/overrides', { token: unaudited.token, body: { overrides: [{ date, kind: 'holiday', note: '审计失败' }] } });
    expect(res.status).to.equal(500);
    const { rows } = await harness().pool.query(`SELECT 1 FROM calendar_overrides WHERE date = $1`, [date]);
    expect(rows).to.deep.equal([]);
  });

  it('when the audit row of an override removal cannot be written, then 500 and the override stays; a removal records what was removed', async () => {
    const date = '2031-03-04';
    expect((await request('PUT', '/api/calendar/overrides', { token: admin.token, body: { overrides: [{ date, kind: 'holiday', note: '调休' }] } })).status).to.equal(200);
    expect((await request('DELETE', `/api/calendar/overrides/${date}`, { token: unaudited.token })).status).to.equal(500);
    const { rows } = await harness().pool.query(`SELECT kind FROM calendar_overrides WHERE date = $1`, [date]);
    expect(rows).to.deep.equal([{ kind: 'holiday' }]);
    expect((await request('DELETE', `/api/calendar/overrides/${date}`, { token: admin.token })).status).to.equal(204);
    const trail = (await auditRowsBy(admin.id)).filter((r) => r.subject_type === 'calendar' && r.subject_id === date);
    expect(trail.map((r) => [r.action, r.before])).to.deep.equal([['delete', { date, kind: 'holiday', note: '调休' }]]);
  });

  it('when a calendar change fails in the database, then no audit row claims it', async () => {
    const allowOverrides = await refuseInsertsBy('calendar_overrides', 'updated_by', admin.id);
    try {
      const res = await request('PUT', '/api/calendar/overrides', { token: admin.token, body: { overrides: [{ date: '2031-03-05', kind: 'workday' }] } });
      expect(res.status).to.equal(500);
    } finally {
      await allowOverrides();
    }
    const trail = (await auditRowsBy(admin.id)).filter((r) => r.subject_type === 'calendar' && JSON.stringify(r.after).includes('2031-03-05'));
    expect(trail).to.deep.equal([]);
  });

  describe('the hot-topic watch list', () => {
    const list = (terms: string[]) => ({ growth: 3, minCount: 5, windowHours: 24, allTerms: true, terms: terms.map((term) => ({ term })) });
    let original: Record<string, unknown>;

    before(async () => {
      const res = await request('GET', '/api/stats/hot-topics/watch-list', { token: admin.token });
      original = { growth: res.body.growth, minCount: res.body.minCount, windowHours: res.body.windowHours, allTerms: res.body.allTerms, terms: res.body.terms.map((t: { term: string; growth: number | null; minCount: number | null }) => ({ term: t.term, ...(t.growth === null ? {} : { growth: t.growth }), ...(t.minCount === null ? {} : { minCount: t.minCount }) })) };
    });
    after(async () => {
      await request('PUT', '/api/stats/hot-topics/watch-list', { token: admin.token, body: original });
    });

    it('when the watch list is replaced, then the audit keeps the list before and after', async () => {
      await request('PUT', '/api/stats/hot-topics/watch-list', { token: admin.token, body: list(['燃气泄漏']) });
      expect((await request('PUT', '/api/stats/hot-topics/watch-list', { token: admin.token, body: list(['燃气泄漏', '噪音扰民']) })).status).to.equal(200);
      const last = (await auditRowsBy(admin.id)).filter((r) => r.subject_type === 'watch_list').at(-1);
      expect(last?.action).to.equal('replace');
      expect((last?.before?.terms as { term: string }[]).map((t) => t.term)).to.deep.equal(['燃气泄漏']);
      expect((last?.after?.terms as { term: string }[]).map((t) => t.term).sort()).to.deep.equal(['噪音扰民', '燃气泄漏'].sort());
    });

    it('when the audit row of a watch-list change cannot be written, then 500 and the list stays', async () => {
      await request('PUT', '/api/stats/hot-topics/watch-list', { token: admin.token, body: list(['积水']) });
      expect((await request('PUT', '/api/stats/hot-topics/watch-list', { token: unaudited.token, body: list(['违建']) })).status).to.equal(500);
      const res = await request('GET', '/api/stats/hot-topics/watch-list', { token: admin.token });
      expect(res.body.terms.map((t: { term: string }) => t.term)).to.deep.equal(['积水']);
    });
  });
});

describe('audit of personal data read in bulk and of refused reads', () => {
  const TANYI = '371325105';
  const OTHER_UNIT = '371325-renshe';

  async function caseOfUnit(unitCode: string): Promise<string> {
    const created = await buildCase();
    await act(String(created.id), (await createStaff('operator')).token, { action: 'dispatch', unitCode });
    return String(created.id);
  }

  it('when a handler asks for another unit’s case, then 404 and the audit trail keeps the refused read', async () => {
    const caseId = await caseOfUnit(OTHER_UNIT);
    const handler = await createStaff('handler', TANYI);
    for (const path of [`/api/cases/${caseId}`, `/api/cases/${caseId}/events`, `/api/cases/${caseId}/duplicates`]) {
      const res = await request('GET', path, { token: handler.token });
      expect(res.status, path).to.equal(404);
    }
    const trail = await auditRowsBy(handler.id);
    expect(trail.map((r) => [r.action, r.subject_type, r.subject_id, r.after?.path])).to.deep.equal([
      ['read_refused', 'case', caseId, `/api/cases/${caseId}`],
      ['read_refused', 'case', caseId, `/api/cases/${caseId}/events`],
      ['read_refused', 'case', caseId, `/api/cases/${caseId}/duplicates`],
    ]);
    const supervisor = await createStaff('supervisor');
    const api = await request('GET', `/api/audit?subjectType=case&subjectId=${caseId}`, { token: supervisor.token });
    expect(api.body.items.filter((e: { action: string }) => e.action === 'read_refused')).to.have.length(3);
  });

  it('when a case that does not exist is asked for, then 404 and no refused read is recorded', async () => {
    const handler = await createStaff('handler', TANYI);
    expect((await request('GET', `/api/cases/${crypto.randomUUID()}`, { token: handler.token })).status).to.equal(404);
    expect(await auditRowsBy(handler.id)).to.deep.equal([]);
  });

  it('when a handler lists another unit’s cases, then 403 and the refused read is recorded', async () => {
    const handler = await createStaff('handler', TANYI);
    expect((await request('GET', `/api/cases?unit=${OTHER_UNIT}`, { token: handler.token })).status).to.equal(403);
    expect((await auditRowsBy(handler.id)).map((r) => [r.action, r.subject_type, r.subject_id])).to.deep.equal([['read_refused', 'personal_data', `cases of unit ${OTHER_UNIT}`]]);
  });

  it('when staff list cases with the citizens’ contact details, then the export is recorded with which cases it showed', async () => {
    const marker = `mk${crypto.randomBytes(6).toString('hex')}`;
    const first = await buildCase({ content: `楼道堆放杂物 ${marker}` });
    const second = await buildCase({ content: `楼道堆放杂物 ${marker}` });
    const operator = await createStaff('operator');
    const res = await request('GET', `/api/cases?q=${marker}`, { token: operator.token });
    expect(res.status).to.equal(200);
    expect(res.body.items[0].citizen.phone).to.be.a('string');
    const trail = await auditRowsBy(operator.id);
    expect(trail).to.have.length(1);
    expect(trail[0]).to.deep.include({ action: 'export', subject_type: 'personal_data', subject_id: 'cases' });
    expect(trail[0]?.after).to.deep.include({ count: 2 });
    expect((trail[0]?.after?.caseIds as string[]).sort()).to.deep.equal([first.id, second.id].sort());
    expect(trail[0]?.after?.filters).to.deep.include({ q: marker });
  });
});
