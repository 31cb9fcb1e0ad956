import { PERIOD_PRESETS, periodInstants, presetPeriod, type DayPeriod, type PeriodPreset } from './period.js';
import { queryString } from './query-string.js';

/** The city: the dashboard's top level for the centre. */
export const CITY = { code: '3713', name: '临沂市' } as const;

type Instants = { readonly from: string; readonly to: string };

/** The dashboard's questions, each asked with exactly these paths (the prefetch and the panels share them). */
export const dashboardPaths = {
  units: (period: DayPeriod, parent: string): string => `/api/stats/units${queryString({ ...period, parent })}`,
  caseMix: (period: DayPeriod, parent: string): string => `/api/stats/case-mix${queryString({ ...period, parent })}`,
  rankings: (group: 'counties' | 'departments', period: DayPeriod): string => `/api/stats/rankings${queryString({ group, from: period.from, to: period.to })}`,
  // With each term's line over the period: the sparklines come in the same answer.
  hotTopics: (instants: Instants, division: string | undefined): string => `/api/stats/hot-topics${queryString({ ...instants, division, limit: 10, series: true })}`,
  repeats: (instants: Instants, division: string | undefined): string => `/api/stats/repeats${queryString({ ...instants, division, limit: 20 })}`,
};

/** The preset a link opens (?period=year), else 本月. */
export function openingPreset(requested: unknown): PeriodPreset {
  return PERIOD_PRESETS.find((p) => p.name === requested && p.name !== 'custom')?.name ?? 'month';
}

/** Where a user's dashboard opens: a handler in its own unit, the centre in the city. */
export function openingParent(user: { readonly role: string; readonly unitCode: string | null } | null): { code: string; name: string } {
  return user?.role === 'handler' && user.unitCode ? { code: user.unitCode, name: '本单位' } : { ...CITY };
}

/** A division code the hot topics and repeats are narrowed to: a county's or township's, not the city's. */
export function divisionOf(parentCode: string): string | undefined {
  return /^\d{6,9}$/.test(parentCode) ? parentCode : undefined;
}

// The repeat grouping reads at most 92 days (GET /api/stats/repeats): the end of a longer period.
export const REPEAT_DAYS = 92;

/**
 * What the dashboard asks first when it opens: the unit figures and the case mix, and for the
 * centre the county ranking, the hot topics and the repeats.
 */
export function openingRequests(requested: unknown, user: { readonly role: string; readonly unitCode: string | null } | null, now: Date): string[] {
  const preset = openingPreset(requested);
  if (preset === 'custom') return [];
  const period = presetPeriod(preset, now);
  const parent = openingParent(user).code;
  const paths = [dashboardPaths.units(period, parent), dashboardPaths.caseMix(period, parent)];
  if (user?.role === 'handler') return paths;
  const division = divisionOf(parent);
  return [
    ...paths,
    dashboardPaths.rankings('counties', period),
    dashboardPaths.hotTopics(periodInstants(period), division),
    dashboardPaths.repeats(periodInstants(period, REPEAT_DAYS), division),
  ];
}
