import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import packageSchedule from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { festivalDates, statutoryHolidays } from '../../models/time-limits/statutory-holidays.js';
import { createWorkingCalendar } from '../../models/time-limits/working-calendar.js';

const national = createWorkingCalendar([]);
const publishedHolidays = new Set(Object.keys(packageSchedule.holidays));
const shift = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('statutory holidays', () => {
  it('when 2027 is asked, then the law\'s 13 days come back: 除夕 2027-02-05 to 初三 02-08, 端午 06-09, 中秋 09-15', () => {
    expect(statutoryHolidays(2027)).to.deep.equal([
      { date: '2027-01-01', name: '元旦' },
      { date: '2027-02-05', name: '春节' },
      { date: '2027-02-06', name: '春节' },
      { date: '2027-02-07', name: '春节' },
      { date: '2027-02-08', name: '春节' },
      { date: '2027-04-05', name: '清明节' },
      { date: '2027-05-01', name: '劳动节' },
      { date: '2027-05-02', name: '劳动节' },
      { date: '2027-06-09', name: '端午节' },
      { date: '2027-09-15', name: '中秋节' },
      { date: '2027-10-01', name: '国庆节' },
      { date: '2027-10-02', name: '国庆节' },
      { date: '2027-10-03', name: '国庆节' },
    ]);
  });

  for (const year of [2025, 2026]) {
    it(`when the rules are applied to ${year}, a year published under the 2024 law, then every day they give is a published holiday`, () => {
      const days = statutoryHolidays(year);
      expect(days).to.have.length(13);
      for (const { date, name } of days) expect(publishedHolidays.has(date), `${name} ${date}`).to.equal(true);
    });
  }

  it('when the festivals of 2008-2026 are computed, then 初一 to 初三, 清明, 端午 and 中秋 are each a day off in the published schedules', () => {
    // From 2008 (the 2007 revision) every year had these days off; 除夕 and 2 May joined in 2025.
    for (let year = 2008; year <= 2026; year += 1) {
      const f = festivalDates(year);
      const days = [f.springFestival, shift(f.springFestival, 1), shift(f.springFestival, 2), f.qingming, f.dragonBoat, f.midAutumn];
      // A festival on a weekend is off whether or not the package lists it (it omits 2012-06-23, a Saturday).
      for (const date of days) expect(national.isWorkingDay(date), `${year}: ${date}`).to.equal(false);
    }
  });

  it('when 中秋 falls within 国庆 (2028-10-03), then the day is listed under both and there are 12 distinct days', () => {
    const days = statutoryHolidays(2028);
    expect(days.filter((d) => d.date === '2028-10-03').map((d) => d.name)).to.have.members(['中秋节', '国庆节']);
    expect(new Set(days.map((d) => d.date)).size).to.equal(12);
  });

  it('when a year is before the 2024 revision took effect or beyond the lunar tables, then no statutory holidays are given', () => {
    expect(statutoryHolidays(2024)).to.deep.equal([]);
    expect(statutoryHolidays(2101)).to.deep.equal([]);
    expect(() => festivalDates(2101)).to.throw(RangeError);
  });

  for (const tz of ['America/New_York', 'Pacific/Kiritimati']) {
    it(`when the process runs in ${tz}, then the holidays and the deadlines counted over them are the same`, () => {
      // A fresh process: the zone is set before any module reads a date, as on a real host.
      const modules = ['statutory-holidays', 'working-calendar'].map((m) => fileURLToPath(new URL(`../../models/time-limits/${m}.ts`, import.meta.url)));
      const script = `
        const { statutoryHolidays } = await import(${JSON.stringify(modules[0])});
        const { createWorkingCalendar } = await import(${JSON.stringify(modules[1])});
        const cal = createWorkingCalendar([]);
        const years = [2027, 2028, 2033, 2050].map((y) => statutoryHolidays(y));
        const due = cal.addWorkingDays(new Date('2027-02-03T10:00:00+08:00'), 5).toISOString();
        console.log(JSON.stringify({ years, due, offset: new Date('2027-01-01T00:00:00Z').getTimezoneOffset() }));`;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, TZ: tz }, encoding: 'utf8' });
      expect(child.status, child.stderr).to.equal(0);
      const result = JSON.parse(child.stdout) as { years: unknown[]; due: string; offset: number };
      // The child did run away from UTC, where the package's own getters go wrong.
      expect(result.offset).to.not.equal(0);
      expect(result.years).to.deep.equal([2027, 2028, 2033, 2050].map((y) => statutoryHolidays(y)));
      expect(result.due).to.equal('2027-02-12T16:00:00.000Z');
    });
  }
});
