import { pinyin } from 'pinyin-pro';
import { loadLinyiGazetteer, type GazetteerCounty } from '../../../routing-rules/gazetteer.js';
import { CITY_CODE, CITY_NAME, DEPARTMENTS, ZONES, type DepartmentSeed } from './departments.js';

/** The kinds of unit in the organisation tree (mirrors the CHECK on `units.kind`). */
export type UnitKind =
  | 'city'
  | 'county'
  | 'township'
  | 'department'
  | 'petitions_office'
  | 'disclosure_office'
  | 'hotline_centre';

/** One row of the organisation tree, ready to insert into `units`. */
export interface UnitSeed {
  code: string;
  name: string;
  shortName: string;
  kind: UnitKind;
  parentCode: string | null;
  /** Materialised ancestry, '3713/371325/371325105/': a subtree is one prefix match. */
  path: string;
  pinyin: string;
  pinyinInitials: string;
}

const HIGH_TECH_ZONE_CODE = '371371';
const CITY_SHORT_NAME = '临沂';

// The customary short forms: stripping 区 from 临沂经济技术开发区 would give nothing anyone says.
const ZONE_SHORT_NAMES: Readonly<Record<string, string>> = {
  jingkai: '经开区',
  lingang: '临港区',
  mengshan: '蒙山旅游区',
  shangcheng: '临沂商城',
  zongbao: '综保区',
};

// The only offices a zone without a GB/T 2260 code has: the rest is done by its host county.
const ZONE_DEPARTMENT_KINDS: ReadonlySet<DepartmentSeed['kind']> = new Set([
  'hotline_centre',
  'petitions_office',
  'disclosure_office',
]);

/** The pinyin and pinyin initials a unit is searched by, lowercase, digits kept. */
export function pinyinOf(name: string): { pinyin: string; pinyinInitials: string } {
  // Digits (12345) are kept as they are so that a search for "12345" finds the hotline office.
  const full = pinyin(name, { toneType: 'none', separator: '', nonZh: 'consecutive', v: true });
  const initials = pinyin(name, { pattern: 'first', toneType: 'none', separator: '', nonZh: 'consecutive' });
  return { pinyin: full.toLowerCase(), pinyinInitials: initials.toLowerCase() };
}

function unit(
  code: string,
  name: string,
  shortName: string,
  kind: UnitKind,
  parent: UnitSeed | null,
): UnitSeed {
  return {
    code,
    name,
    shortName,
    kind,
    parentCode: parent?.code ?? null,
    path: `${parent?.path ?? ''}${code}/`,
    ...pinyinOf(name),
  };
}

/** The prefix of a county-level department's name: '费县', '兰山区', '高新区', '经开区'. */
function departmentPrefix(county: GazetteerCounty): string {
  return county.code === HIGH_TECH_ZONE_CODE ? county.shortName : county.name;
}

function departmentsUnder(parent: UnitSeed, prefix: string, departments: readonly DepartmentSeed[]): UnitSeed[] {
  return departments.map((dept) => unit(`${parent.code}-${dept.slug}`, `${prefix}${dept.name}`, dept.name, dept.kind, parent));
}

/**
 * Builds the whole organisation tree of Linyi: city, counties (GB/T 2260 and the zones the seeds
 * name), townships, and the departments at city and county level. Parents precede children.
 */
export function buildOrgTree(): UnitSeed[] {
  const city = unit(CITY_CODE, CITY_NAME, CITY_SHORT_NAME, 'city', null);
  const units: UnitSeed[] = [city];

  for (const dept of DEPARTMENTS) {
    // 市12345… reads badly; the hotline office's own name carries the city in full.
    const name = dept.kind === 'hotline_centre' ? `${CITY_NAME}${dept.name}` : `市${dept.name}`;
    units.push(unit(`${CITY_CODE}-${dept.slug}`, name, dept.name, dept.kind, city));
  }

  const gazetteer = loadLinyiGazetteer();
  const countyDepartments = DEPARTMENTS.filter((dept) => dept.county);
  for (const division of gazetteer.counties) {
    const county = unit(division.code, division.name, division.shortName, 'county', city);
    units.push(county);
    for (const township of gazetteer.townships.filter((t) => t.countyCode === division.code)) {
      units.push(unit(township.code, township.name, township.shortName, 'township', county));
    }
    units.push(...departmentsUnder(county, departmentPrefix(division), countyDepartments));
  }

  const zoneDepartments = countyDepartments.filter((dept) => ZONE_DEPARTMENT_KINDS.has(dept.kind));
  for (const zone of ZONES) {
    const shortName = ZONE_SHORT_NAMES[zone.slug] ?? zone.name;
    const county = unit(`${CITY_CODE}-${zone.slug}`, zone.name, shortName, 'county', city);
    units.push(county, ...departmentsUnder(county, shortName, zoneDepartments));
  }

  return units;
}
