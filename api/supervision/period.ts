import Joi from 'joi';
import { badRequest } from '../../errors.js';
import type { Period } from '../../models/insights/hot-topics/periods.js';
import type { UnitDirectory } from '../../models/org/unit-directory.js';

/** The period and place every supervision statistic takes; either end of the period may be left out. */
export interface PeriodQuery {
  from?: Date;
  to?: Date;
  division?: string;
}

export const periodFields = {
  from: Joi.date().iso(),
  to: Joi.date().iso(),
  division: Joi.string().pattern(/^\d{4}(?:\d{2}(?:\d{3})?)?$/, 'city, county or township code'),
};

export const dateTime = { type: 'string', format: 'date-time' };
export const periodSchema = { type: 'object', properties: { from: dateTime, to: dateTime } };

const DAY_MS = 86_400_000;

/** [from, to): `to` defaults to now, `from` to `defaultDays` before `to`; at most `maxDays` long. */
export function resolvePeriod(query: PeriodQuery, now: Date, defaultDays: number, maxDays: number): Period {
  const to = query.to ?? now;
  const from = query.from ?? new Date(to.getTime() - defaultDays * DAY_MS);
  if (from >= to) throw badRequest('Invalid period', [{ path: 'query.from', message: '"from" must be before "to"' }]);
  if (to.getTime() - from.getTime() > maxDays * DAY_MS) {
    throw badRequest('Period too long', [{ path: 'query.from', message: `the period may be at most ${maxDays} days long` }]);
  }
  return { from, to };
}

/** The division code prefix to filter on: none for the city, the code for a county or township. */
export function resolveDivision(units: UnitDirectory, code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  const unit = units.get(code);
  if (!unit || !['city', 'county', 'township'].includes(unit.kind)) {
    throw badRequest('Unknown division', [{ path: 'query.division', message: `"${code}" is not the city, a county or a township` }]);
  }
  return unit.kind === 'city' ? undefined : code;
}
