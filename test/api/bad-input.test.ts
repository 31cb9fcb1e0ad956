import { expect } from 'chai';
import type { Role } from '../../api/auth/token.js';
import { createStaff, intakeBody } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { freshIp, request } from '../support/http.js';

async function countCases(): Promise<number> {
  const { rows } = await harness().pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
  return rows[0]?.n ?? -1;
}

/** An object nested `levels` deep: {a:{a:{…}}}. */
function nested(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i += 1) value = { a: value };
  return value;
}

function without(body: Record<string, unknown>, field: string): Record<string, unknown> {
  const copy = { ...body };
  delete copy[field];
  return copy;
}

function mailboxLetter(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: '李四', phone: '13912345678', title: '道路积水', content: '下雨后路口积水严重，行人无法通过', ...overrides };
}

interface BadInputRow {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  /** The role of a staff member created for the row; none for public calls. */
  readonly as?: Role;
  readonly body?: () => unknown;
  readonly raw?: () => string;
  readonly headers?: Record<string, string>;
  readonly expectStatus: number;
  readonly expectCode: string;
  /** For validation errors: a path that must appear in `details`. */
  readonly expectPath?: string;
}

const ROWS: readonly BadInputRow[] = [
  // Missing required fields
  { name: 'intake without content', method: 'POST', path: '/api/cases', as: 'operator', body: () => without(intakeBody(), 'content'), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.content' },
  { name: 'intake without channel', method: 'POST', path: '/api/cases', as: 'operator', body: () => without(intakeBody(), 'channel'), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.channel' },
  { name: 'intake without type', method: 'POST', path: '/api/cases', as: 'operator', body: () => without(intakeBody(), 'type'), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.type' },
  { name: 'intake without citizen', method: 'POST', path: '/api/cases', as: 'operator', body: () => without(intakeBody(), 'citizen'), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.citizen' },
  { name: 'intake with an empty object', method: 'POST', path: '/api/cases', as: 'operator', body: () => ({}), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.content' },
  { name: 'intake as text/plain (no JSON body at all)', method: 'POST', path: '/api/cases', as: 'operator', raw: () => JSON.stringify(intakeBody()), headers: { 'content-type': 'text/plain' }, expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.content' },
  { name: 'mailbox without phone', method: 'POST', path: '/api/public/mailbox', body: () => without(mailboxLetter(), 'phone'), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.phone' },
  { name: 'mailbox without title', method: 'POST', path: '/api/public/mailbox', body: () => without(mailboxLetter(), 'title'), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.title' },
  { name: 'login without password', method: 'POST', path: '/api/auth/login', body: () => ({ username: 'admin' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.password' },
  // Wrong types
  { name: 'content as a number', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ content: 123 }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.content' },
  { name: 'citizen as a string', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ citizen: '张三 13812341234' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.citizen' },
  { name: 'citizen.phone as a number', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ citizen: { name: '张三', phone: 13812341234 } }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.citizen.phone' },
  { name: 'title as an array', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ title: ['路灯', '不亮'] }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.title' },
  { name: 'a JSON array instead of an object', method: 'POST', path: '/api/cases', as: 'operator', body: () => [intakeBody()], expectStatus: 400, expectCode: 'validation_failed' },
  { name: 'a bare JSON string', method: 'POST', path: '/api/cases', as: 'operator', raw: () => '"hello"', expectStatus: 400, expectCode: 'validation_failed' },
  { name: 'mailbox content as an object', method: 'POST', path: '/api/public/mailbox', body: () => mailboxLetter({ content: { text: '积水' } }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.content' },
  // Unknown fields
  { name: 'an unknown top-level field', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ priority: 'high' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.priority' },
  { name: 'an unknown field inside citizen', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ citizen: { name: '张三', idCard: '371325199001011234' } }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.citizen.idCard' },
  { name: 'mailbox setting the channel', method: 'POST', path: '/api/public/mailbox', body: () => mailboxLetter({ channel: 'hotline' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.channel' },
  // Invalid enums
  { name: 'an unknown channel', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ channel: 'pigeon' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.channel' },
  { name: 'a channel operators do not enter (mailbox)', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ channel: 'mailbox' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.channel' },
  { name: 'an unknown type', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ type: 'rant' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.type' },
  { name: 'an unknown urgency', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ urgency: 'asap' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.urgency' },
  { name: 'a user with an unknown role', method: 'POST', path: '/api/users', as: 'admin', body: () => ({ username: 'root-user', password: 'a-long-password', role: 'root' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.role' },
  // Bad values
  { name: 'control characters in content', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ content: '路灯\u0000不亮\u0007了' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.content' },
  { name: 'an escape sequence in the title', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ title: '\u001b[31m红色\u001b[0m' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.title' },
  { name: 'control characters in the mailbox content', method: 'POST', path: '/api/public/mailbox', body: () => mailboxLetter({ content: '积水\u0008\u0008\u0008严重严重' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.content' },
  { name: 'receivedAt that is not a date', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ receivedAt: 'yesterday' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.receivedAt' },
  { name: 'receivedAt in the future', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ receivedAt: '2999-01-01T00:00:00Z' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.receivedAt' },
  { name: 'content too long (5001 characters)', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ content: '长'.repeat(5001) }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.content' },
  { name: 'content of blanks only', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ content: '     ' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.content' },
  { name: 'a malformed email', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ citizen: { name: '张三', email: 'not-an-email' } }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.citizen.email' },
  { name: 'a malformed phone', method: 'POST', path: '/api/public/mailbox', body: () => mailboxLetter({ phone: 'call me maybe' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.phone' },
  { name: 'a divisionCode of no county or township', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ divisionCode: '371399' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.divisionCode' },
  { name: 'a divisionCode that is a department', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ divisionCode: '3713-petitions' }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.divisionCode' },
  { name: 'a divisionCode with SQL in it', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ divisionCode: "371325' OR '1'='1" }), expectStatus: 400, expectCode: 'validation_failed', expectPath: 'body.divisionCode' },
  { name: 'an Idempotency-Key that is too long', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody(), headers: { 'Idempotency-Key': 'k'.repeat(129) }, expectStatus: 400, expectCode: 'validation_failed', expectPath: 'headers.idempotency-key' },
  // Size and shape of the body
  { name: 'a body over 64 kB', method: 'POST', path: '/api/cases', as: 'operator', raw: () => JSON.stringify(intakeBody({ content: 'x'.repeat(70 * 1024) })), expectStatus: 413, expectCode: 'payload_too_large' },
  { name: 'a body over 64 kB to the public mailbox', method: 'POST', path: '/api/public/mailbox', raw: () => JSON.stringify(mailboxLetter({ content: '长'.repeat(30 * 1024) })), expectStatus: 413, expectCode: 'payload_too_large' },
  { name: 'broken JSON', method: 'POST', path: '/api/cases', as: 'operator', raw: () => '{"channel": "hotline", "type": "complaint", "content": "路灯', expectStatus: 400, expectCode: 'validation_failed' },
  { name: 'broken JSON to the public mailbox', method: 'POST', path: '/api/public/mailbox', raw: () => "{'phone': '13912345678'}", expectStatus: 400, expectCode: 'validation_failed' },
  { name: 'JSON nested 10 levels deep', method: 'POST', path: '/api/cases', as: 'operator', body: () => intakeBody({ category: nested(10) }), expectStatus: 400, expectCode: 'validation_failed' },
  { name: 'arrays nested 9 levels deep to the mailbox', method: 'POST', path: '/api/public/mailbox', raw: () => `${'['.repeat(9)}1${']'.repeat(9)}`, expectStatus: 400, expectCode: 'validation_failed' },
  // Query parameters
  { name: 'limit=0', method: 'GET', path: '/api/cases?limit=0', as: 'operator', expectStatus: 400, expectCode: 'validation_failed', expectPath: 'query.limit' },
  { name: 'limit=1000', method: 'GET', path: '/api/cases?limit=1000', as: 'operator', expectStatus: 400, expectCode: 'validation_failed', expectPath: 'query.limit' },
  { name: 'limit=ten', method: 'GET', path: '/api/cases?limit=ten', as: 'operator', expectStatus: 400, expectCode: 'validation_failed', expectPath: 'query.limit' },
  { name: 'status=bogus', method: 'GET', path: '/api/cases?status=bogus', as: 'operator', expectStatus: 400, expectCode: 'validation_failed', expectPath: 'query.status' },
  { name: 'status with one bogus entry in a list', method: 'GET', path: '/api/cases?status=registered,bogus', as: 'operator', expectStatus: 400, expectCode: 'validation_failed', expectPath: 'query.status' },
  { name: 'cursor=garbage', method: 'GET', path: '/api/cases?cursor=garbage', as: 'operator', expectStatus: 400, expectCode: 'validation_failed', expectPath: 'query.cursor' },
  { name: 'a cursor with forbidden characters', method: 'GET', path: `/api/cases?cursor=${encodeURIComponent("' OR 1=1 --")}`, as: 'operator', expectStatus: 400, expectCode: 'validation_failed', expectPath: 'query.cursor' },
  { name: 'an unknown query parameter', method: 'GET', path: '/api/cases?sort=created_at', as: 'operator', expectStatus: 400, expectCode: 'validation_failed', expectPath: 'query.sort' },
  { name: 'a repeated query parameter', method: 'GET', path: '/api/cases?limit=1&limit=2', as: 'operator', expectStatus: 400, expectCode: 'validation_failed', expectPath: 'query.limit' },
  { name: 'a public lookup with a code that is not 6 digits', method: 'GET', path: '/api/public/cases/202601010000001?code=12ab', expectStatus: 400, expectCode: 'validation_failed', expectPath: 'query.code' },
  { name: 'a public lookup with a malformed case number', method: 'GET', path: '/api/public/cases/abc?code=123456', expectStatus: 400, expectCode: 'validation_failed', expectPath: 'params.caseNo' },
  // Routes
  { name: 'an unknown route', method: 'GET', path: '/api/no-such-thing', as: 'operator', expectStatus: 404, expectCode: 'not_found' },
  { name: 'an unknown route without a token', method: 'GET', path: '/api/admin/secrets', expectStatus: 404, expectCode: 'not_found' },
  { name: 'a method the route does not serve (DELETE /api/cases)', method: 'DELETE', path: '/api/cases', as: 'operator', expectStatus: 404, expectCode: 'not_found' },
  { name: 'a method the route does not serve (PUT /api/units)', method: 'PUT', path: '/api/units', as: 'admin', body: () => ({ code: '3713' }), expectStatus: 404, expectCode: 'not_found' },
  { name: 'a method the route does not serve (PATCH /api/public/mailbox)', method: 'PATCH', path: '/api/public/mailbox', body: () => mailboxLetter(), expectStatus: 404, expectCode: 'not_found' },
];

describe('bad input of any kind gets a JSON error and changes nothing', () => {
  for (const row of ROWS) {
    it(`when ${row.name} is sent to ${row.method} ${row.path.split('?')[0]}, then ${row.expectStatus} ${row.expectCode}`, async () => {
      const staff = row.as ? await createStaff(row.as, row.as === 'handler' ? '371325' : null) : undefined;
      const before = await countCases();

      const res = await request(row.method, row.path, {
        token: staff?.token,
        body: row.body?.(),
        raw: row.raw?.(),
        headers: row.headers,
        ip: freshIp(),
      });

      expect(res.status, res.text).to.equal(row.expectStatus);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      expect(res.body).to.be.an('object').with.all.keys('error');
      expect(res.body.error.code).to.equal(row.expectCode);
      expect(res.body.error.message).to.be.a('string').and.not.equal('');
      expect(Object.keys(res.body.error)).to.satisfy((keys: string[]) => keys.every((k) => ['code', 'message', 'details'].includes(k)));
      if (row.expectPath) {
        expect(res.body.error.details, 'validation errors name the failing fields').to.be.an('array');
        const paths = (res.body.error.details as { path?: string; message: string }[]).map((d) => d.path);
        expect(paths).to.include(row.expectPath);
        expect(res.body.error.details.every((d: { message?: unknown }) => typeof d.message === 'string')).to.equal(true);
      }
      expect(res.text, 'no stack traces or SQL leak out').to.not.match(/at .+\.(ts|js):\d+|SELECT |INSERT /);
      expect(await countCases()).to.equal(before);
    });
  }

  it('when SQL text is sent as content, then it is stored and returned verbatim as plain text, and the table is still there', async () => {
    const operator = await createStaff('operator');
    const sql = "'); DROP TABLE cases; --";
    const title = "Robert'); DELETE FROM case_events WHERE ('1'='1";

    const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ content: sql, title }) });

    expect(res.status, res.text).to.equal(201);
    expect(res.body.content).to.equal(sql);
    expect(res.body.title).to.equal(title);
    const { rows } = await harness().pool.query<{ content: string; title: string }>('SELECT content, title FROM cases WHERE id = $1', [res.body.id]);
    expect(rows).to.deep.equal([{ content: sql, title }]);
    const events = await harness().pool.query('SELECT 1 FROM case_events WHERE case_id = $1', [res.body.id]);
    expect(events.rows).to.have.length(1);
    const read = await request('GET', `/api/cases/${res.body.id}`, { token: operator.token });
    expect(read.body.content).to.equal(sql);
  });

  it('when SQL text is searched for with q, then it is matched as text and nothing breaks', async () => {
    const operator = await createStaff('operator');
    const created = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ content: "x' OR '1'='1 路灯坏了 sqlq-marker" }) });

    const res = await request('GET', `/api/cases?q=${encodeURIComponent("x' OR '1'='1 路灯坏了 sqlq-marker")}`, { token: operator.token });

    expect(res.status, res.text).to.equal(200);
    expect(res.body.items.map((c: { id: string }) => c.id)).to.deep.equal([created.body.id]);
  });

  it('when script text is sent as the title, then it is stored verbatim and returned as a JSON string, not as HTML', async () => {
    const operator = await createStaff('operator');
    const script = '<script>alert(1)</script>';

    const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ title: script, content: `<img src=x onerror=alert(1)> 路灯不亮` }) });

    expect(res.status, res.text).to.equal(201);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.body.title).to.equal(script);
    expect(res.text).to.include(JSON.stringify(script));
    const { rows } = await harness().pool.query<{ title: string }>('SELECT title FROM cases WHERE id = $1', [res.body.id]);
    expect(rows[0]?.title).to.equal(script);
    const read = await request('GET', `/api/cases/${res.body.id}`, { token: operator.token });
    expect(read.headers.get('content-type')).to.match(/^application\/json/);
    expect(read.body.title).to.equal(script);
  });

  it('when line breaks and tabs are in the content, then they are accepted (only other control characters are refused)', async () => {
    const operator = await createStaff('operator');
    const content = '第一行\n第二行\r\n\t缩进的第三行';

    const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ content }) });

    expect(res.status, res.text).to.equal(201);
    expect(res.body.content).to.equal(content);
  });

  it('when JSON is nested exactly 8 levels, then it passes the depth limit and is refused by the schema instead', async () => {
    const deep = await request('POST', '/api/public/mailbox', { raw: `${'['.repeat(9)}1${']'.repeat(9)}`, ip: freshIp() });

    const res = await request('POST', '/api/public/mailbox', { raw: `${'['.repeat(8)}1${']'.repeat(8)}`, ip: freshIp() });

    expect(deep.body.error.message).to.match(/nested/);
    expect(res.status).to.equal(400);
    expect(res.body.error.message).to.not.match(/nested/);
    expect(res.body.error.details).to.be.an('array').with.length.greaterThan(0);
  });

  it('when a __proto__ key tries to set the status, then it is dropped: the case is registered and nothing else changes', async () => {
    const operator = await createStaff('operator');
    // No routing keyword in the text, so that the case stays registered whether or not intake routes.
    const body = intakeBody({ title: '反映情况', content: '想反映一个情况，希望有关方面核实' });
    const raw = JSON.stringify(body).replace(/}$/, ',"__proto__":{"status":"closed","assignedUnitCode":"371325"}}');

    const res = await request('POST', '/api/cases', { token: operator.token, raw });

    // Joi drops __proto__ keys instead of reporting them as unknown; what matters is that they set nothing.
    expect(res.status, res.text).to.equal(201);
    expect(res.body.status).to.equal('registered');
    expect(res.body.assignedUnit).to.equal(null);
    const { rows } = await harness().pool.query('SELECT status, assigned_unit_code FROM cases WHERE id = $1', [res.body.id]);
    expect(rows).to.deep.equal([{ status: 'registered', assigned_unit_code: null }]);
    const next = await request('POST', '/api/cases', { token: operator.token, body });
    expect(next.body.status, 'no prototype of the server was polluted').to.equal('registered');
  });
});
