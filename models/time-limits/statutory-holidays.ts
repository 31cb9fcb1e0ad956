import chineseDays from 'chinese-days';

/** A public holiday fixed by law, on its Asia/Shanghai calendar date ('YYYY-MM-DD'). */
export interface StatutoryHoliday {
  readonly date: string;
  readonly name: string;
}

/** The first year under the rules below: the 2024 revision of the law is in force from 2025-01-01. */
export const STATUTORY_RULES_FROM = 2025;
// chinese-days' lunar tables end with 2100; later years get no statutory holidays rather than wrong ones.
const LUNAR_TABLES_UNTIL = 2100;

const DAY_MS = 86_400_000;
const { getLunarDate, getSolarDateFromLunar, getSolarTermDate } = chineseDays;

const utcDate = (year: number, month: number, day: number): string => new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
const shiftDate = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

function localDateOf(instant: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${instant.getFullYear()}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}`;
}

/**
 * The Gregorian date of day `day` of lunar month `month` (never the leap month of that number) of
 * lunar year `year`. getSolarDateFromLunar reads its argument and writes its answer with local-time
 * getters, so it is given a local-time Date: both ends then agree in every time zone. getLunarDate
 * counts days from a 'YYYY-MM-DD' string in UTC, a different path, and must read the answer back.
 */
function solarDateOfLunar(year: number, month: number, day: number): string {
  const { date } = getSolarDateFromLunar(new Date(year, month - 1, day));
  const back = getLunarDate(date);
  if (back.lunarYear !== year || back.lunarMon !== month || back.lunarDay !== day || back.isLeap) {
    throw new Error(`lunar ${year}-${month}-${day} does not read back from ${date}`);
  }
  return date;
}

/**
 * 清明 of `year`. getSolarTermDate writes UTC midnight of the term's day with local-time getters, so
 * west of UTC it names the day before; the true day is the one whose UTC midnight reads as its answer here.
 */
function qingmingOf(year: number): string {
  const reported = getSolarTermDate(year, 4, 'pure_brightness');
  const day = [reported, shiftDate(reported, 1)].find((date) => localDateOf(new Date(`${date}T00:00:00Z`)) === reported);
  if (day === undefined) throw new Error(`cannot place 清明 ${year} from ${reported}`);
  return day;
}

/** The festivals the law names by the lunar calendar or a solar term, in one Gregorian year. */
export interface FestivalDates {
  /** 春节: 正月初一. */
  readonly springFestival: string;
  /** 清明: the day of the solar term. */
  readonly qingming: string;
  /** 端午: 五月初五. */
  readonly dragonBoat: string;
  /** 中秋: 八月十五. */
  readonly midAutumn: string;
}

/** The dates of the lunar and solar-term festivals of `year` (1901-2100, the lunar tables' reach). */
export function festivalDates(year: number): FestivalDates {
  if (!Number.isSafeInteger(year) || year <= 1900 || year > LUNAR_TABLES_UNTIL) throw new RangeError(`no lunar tables for ${year}`);
  return {
    springFestival: solarDateOfLunar(year, 1, 1),
    qingming: qingmingOf(year),
    dragonBoat: solarDateOfLunar(year, 5, 5),
    midAutumn: solarDateOfLunar(year, 8, 15),
  };
}

/**
 * The days off for all citizens fixed by 《全国年节及纪念日放假办法》 (2024 revision, art. 2), for a
 * year from 2025: 元旦 1 Jan; 春节 除夕 and 正月初一 to 初三; 清明 (the solar term's day); 劳动节 1-2 May;
 * 端午 (五月初五); 中秋 (八月十五); 国庆节 1-3 Oct. The 补休 days for holidays on a weekend (art. 6) and
 * the 调休 swaps are set by each year's State Council notice, so they are not here. Empty for a year
 * the rules or the lunar tables do not reach. Dates ascending; a date is listed twice when 中秋 falls
 * within 国庆 (2028-10-03), which the law gives no extra day for.
 */
export function statutoryHolidays(year: number): StatutoryHoliday[] {
  if (!Number.isSafeInteger(year) || year < STATUTORY_RULES_FROM || year > LUNAR_TABLES_UNTIL) return [];
  const festivals = festivalDates(year);
  const holidays: StatutoryHoliday[] = [
    { date: utcDate(year, 1, 1), name: '元旦' },
    // 除夕 is the last day of the twelfth month, whether it has 29 or 30 days: the eve of 初一.
    ...[-1, 0, 1, 2].map((offset) => ({ date: shiftDate(festivals.springFestival, offset), name: '春节' })),
    { date: festivals.qingming, name: '清明节' },
    { date: utcDate(year, 5, 1), name: '劳动节' },
    { date: utcDate(year, 5, 2), name: '劳动节' },
    { date: festivals.dragonBoat, name: '端午节' },
    { date: festivals.midAutumn, name: '中秋节' },
    ...[1, 2, 3].map((day) => ({ date: utcDate(year, 10, day), name: '国庆节' })),
  ];
  return holidays.sort((x, y) => x.date.localeCompare(y.date));
}
