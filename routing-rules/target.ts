import type { RuleTarget } from './rule.js';

/**
 * Whether a unit can take cases: true; false when it does not exist; 'disabled' when an admin
 * disabled it. Without it every code built from the gazetteer is taken on trust.
 */
export type UnitExists = (unitCode: string) => boolean | 'disabled';

const unavailable = (unitExists: UnitExists | undefined, code: string): string | null => {
  const state = unitExists ? unitExists(code) : true;
  if (state === true) return null;
  return state === 'disabled' ? 'is disabled' : 'does not exist';
};

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
    const why = unavailable(unitExists, target.unitCode);
    if (why) return { unitCode: null, explanation: `unit ${target.unitCode} ${why}` };
    return { unitCode: target.unitCode, explanation: `unit ${target.unitCode}` };
  }
  const skipped: string[] = [];
  for (const { code, label } of territorialCandidates(target, place, cityCode)) {
    if (code === null) {
      skipped.push(`no ${label.replace(' department', '')} known`);
      continue;
    }
    const why = unavailable(unitExists, code);
    if (why) {
      skipped.push(`${label} ${code} ${why}`);
      continue;
    }
    const fallback = skipped.length > 0 ? ` (${skipped.join(', ')})` : '';
    return { unitCode: code, explanation: `territorial ${label} ${code}${fallback}` };
  }
  return { unitCode: null, explanation: `territorial: no unit (${skipped.join(', ')})` };
}
