import { badRequest, forbidden, notFound } from '../../errors.js';
import { CITY_CODE } from '../../models/org/seed/departments.js';
import type { UnitDirectory } from '../../models/org/unit-directory.js';
import type { StaffPrincipal } from '../auth/token.js';

/** [from, to): by default the year so far (from 1 January, Asia/Shanghai) up to now. */
export function statsPeriod(query: { from?: Date; to?: Date }, now: Date): { from: Date; to: Date } {
  const year = new Date(now.getTime() + 8 * 3_600_000).getUTCFullYear();
  const from = query.from ?? new Date(`${year}-01-01T00:00:00+08:00`);
  const to = query.to ?? now;
  if (from >= to) throw badRequest('The period is empty', [{ path: 'query.from', message: '"from" must be before "to"' }]);
  return { from, to };
}

/** The unit to report on: centre staff choose any (the city by default); a handler its own subtree. */
export function statsParent(units: UnitDirectory, user: StaffPrincipal | undefined, requested: string | undefined): string {
  if (user?.role === 'handler') {
    if (!user.unitCode) throw forbidden();
    const parent = requested ?? user.unitCode;
    if (!units.isWithin(user.unitCode, parent)) throw forbidden('That unit is outside your own');
    return parent;
  }
  const parent = requested ?? CITY_CODE;
  if (!units.get(parent)) throw notFound('Unit');
  return parent;
}
