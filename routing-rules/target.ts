import type { RuleTarget } from './rule.js';

/** Whether a unit code exists; without it every code built from the gazetteer is taken on trust. */
export type UnitExists = (unitCode: string) => boolean;

/** Where a case is, as far as the territorial target needs to know. */
export interface CasePlace {
  readonly countyCode: string | null;
  readonly townshipCode: string | null;
}

/** The unit a target names for one case, or null with the reason when none exists. */
export interface TargetResolution {
  readonly unitCode: string | null;
  readonly explanation: string;
}

interface Candidate {
  readonly code: string | null;
  readonly label: string;
}

/** Candidates from the requested level up to the city; department targets start at the county. */
function territorialCandidates(
  target: Extract<RuleTarget, { kind: 'territorial' }>,
  place: CasePlace,
  cityCode: string,
): Candidate[] {
  const { countyCode, townshipCode } = place;
  const slug = target.departmentSlug;
  if (slug !== undefined) {
    // Departments exist at county and city level only (models/org/seed/departments.ts).
    return [
      { code: countyCode === null ? null : `${countyCode}-${slug}`, label: 'county department' },
      { code: `${cityCode}-${slug}`, label: 'city department' },
    ];
  }
  const candidates: Candidate[] = [];
  if ((target.level ?? 'township') === 'township') candidates.push({ code: townshipCode, label: 'township' });
  candidates.push({ code: countyCode, label: 'county' }, { code: cityCode, label: 'city' });
  return candidates;
}

/** Resolves a rule target for a case: territorial targets fall back a level when a unit is unknown or missing. */
export function resolveTarget(
  target: RuleTarget,
  place: CasePlace,
  cityCode: string,
  unitExists?: UnitExists,
): TargetResolution {
  if (target.kind === 'unit') {
    if (unitExists && !unitExists(target.unitCode)) {
      return { unitCode: null, explanation: `unit ${target.unitCode} does not exist` };
    }
    return { unitCode: target.unitCode, explanation: `unit ${target.unitCode}` };
  }
  const skipped: string[] = [];
  for (const { code, label } of territorialCandidates(target, place, cityCode)) {
    if (code === null) {
      skipped.push(`no ${label.replace(' department', '')} known`);
      continue;
    }
    if (unitExists && !unitExists(code)) {
      skipped.push(`${label} ${code} does not exist`);
      continue;
    }
    const fallback = skipped.length > 0 ? ` (${skipped.join(', ')})` : '';
    return { unitCode: code, explanation: `territorial ${label} ${code}${fallback}` };
  }
  return { unitCode: null, explanation: `territorial: no unit (${skipped.join(', ')})` };
}
