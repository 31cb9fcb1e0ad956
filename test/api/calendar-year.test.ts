import { expect } from 'chai';
import { createStaff, type Staff } from '../support/factories.js';
import { request } from '../support/http.js';

describe('GET /api/calendar/years/{year}: one year of holidays and adjusted workdays', () => {
  let operator: Staff;
  let admin: Staff;

  before(async () => {
    operator = await createStaff('operator');
    admin = await createStaff('admin');
  });

  it('when a year has the State Council schedule, then its holidays and 调休 workdays come from it with their festival names', async () => {
    const res = await request('GET', '/api/calendar/years/2026', { token: operator.token });
    expect(res.status).to.equal(200);
    expect(res.body.official).to.equal(true);
    expect(res.body.days).to.deep.include({ date: '2026-02-16', kind: 'holiday', source: 'national', name: '春节' });
    expect(res.body.days).to.deep.include({ date: '2026-02-14', kind: 'workday', source: 'national', name: '春节' });
    expect(res.body.days.map((d: { date: string }) => d.date)).to.not.include('2026-03-10');
  });

  it('when a year has no official schedule, then it is marked unofficial and lists the statutory holidays only', async () => {
    const res = await request('GET', '/api/calendar/years/2040', { token: operator.token });
    expect(res.body.official).to.equal(false);
    expect(res.body.days).to.deep.include({ date: '2040-10-01', kind: 'holiday', source: 'statutory', name: '国庆节' });
    expect(res.body.days.every((d: { kind: string; source: string }) => d.kind === 'holiday' && d.source === 'statutory')).to.equal(true);
  });

  it('when 中秋 falls within 国庆 in such a year, then the one day carries both names', async () => {
    const res = await request('GET', '/api/calendar/years/2028', { token: operator.token });
    expect(res.body.days.filter((d: { date: string }) => d.date === '2028-10-03')).to.deep.equal([{ date: '2028-10-03', kind: 'holiday', source: 'statutory', name: '中秋节、国庆节' }]);
  });

  it('when an admin overrides a date, then the year shows the override over the national schedule, with its note', async () => {
    const put = await request('PUT', '/api/calendar/overrides', { token: admin.token, body: { overrides: [{ date: '2026-02-14', kind: 'holiday', note: '市政府通知' }] } });
    expect(put.status).to.equal(200);
    try {
      const res = await request('GET', '/api/calendar/years/2026', { token: operator.token });
      expect(res.body.days).to.deep.include({ date: '2026-02-14', kind: 'holiday', source: 'override', name: '春节', note: '市政府通知' });
    } finally {
      await request('DELETE', '/api/calendar/overrides/2026-02-14', { token: admin.token });
    }
  });

  it('when the year is not a year or has no token, then 400 and 401', async () => {
    expect((await request('GET', '/api/calendar/years/20x6', { token: operator.token })).status).to.equal(400);
    expect((await request('GET', '/api/calendar/years/2026')).status).to.equal(401);
  });
});
