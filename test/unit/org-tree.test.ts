import { expect } from 'chai';
import { buildOrgTree, type UnitSeed } from '../../models/org/seed/org-tree.js';
import { loadLinyiGazetteer } from '../../routing-rules/gazetteer.js';

const GB_COUNTIES = [
  '371302', '371311', '371312', '371321', '371322', '371323', '371324',
  '371325', '371326', '371327', '371328', '371329',
];
const ZONE_CODES = ['3713-jingkai', '3713-lingang', '3713-mengshan', '3713-shangcheng', '3713-zongbao'];

function byCode(units: readonly UnitSeed[], code: string): UnitSeed {
  const found = units.find((u) => u.code === code);
  if (!found) throw new Error(`no unit ${code}`);
  return found;
}

describe('org tree of Linyi', () => {
  const units = buildOrgTree();

  it('has exactly one city, 3713 临沂市, at the root', () => {
    const cities = units.filter((u) => u.kind === 'city');
    expect(cities).to.have.length(1);
    expect(cities[0]).to.include({ code: '3713', name: '临沂市', parentCode: null, path: '3713/' });
  });

  it('has the 12 districts and counties, the high-tech zone and the 5 zones as counties under the city', () => {
    const counties = units.filter((u) => u.kind === 'county');
    expect(counties.map((u) => u.code)).to.have.members([...GB_COUNTIES, '371371', ...ZONE_CODES]);
    for (const county of counties) expect(county.parentCode).to.equal('3713');
  });

  it('has the 156 townships and streets, each under a GB county', () => {
    const townships = units.filter((u) => u.kind === 'township');
    expect(townships).to.have.length(156);
    for (const township of townships) {
      expect([...GB_COUNTIES, '371371']).to.include(township.parentCode);
      expect(township.code.startsWith(township.parentCode ?? '')).to.equal(true);
    }
  });

  it('when a township is 探沂镇, then it is 371325105 under 费县 with path 3713/371325/371325105/', () => {
    const tanyi = byCode(units, '371325105');
    expect(tanyi).to.include({ name: '探沂镇', kind: 'township', parentCode: '371325', path: '3713/371325/371325105/' });
    expect(byCode(units, '371325').name).to.equal('费县');
  });

  it('gives every county-level unit its own petitions, disclosure and hotline offices', () => {
    for (const code of ['3713', ...GB_COUNTIES, '371371', ...ZONE_CODES]) {
      const kinds = units.filter((u) => u.parentCode === code).map((u) => u.kind);
      expect(kinds, code).to.include.members(['petitions_office', 'disclosure_office', 'hotline_centre']);
    }
  });

  it('gives the zones without a GB code only the three offices, and the GB counties every county department', () => {
    expect(units.filter((u) => u.parentCode === '3713-jingkai')).to.have.length(3);
    expect(byCode(units, '371325-renshe')).to.include({ name: '费县人社局', shortName: '人社局', kind: 'department' });
    expect(byCode(units, '371302-petitions')).to.include({ name: '兰山区信访局', kind: 'petitions_office' });
    expect(units.some((u) => u.code === '371325-gongjijin')).to.equal(false);
  });

  it('names city departments with the 市 prefix', () => {
    expect(byCode(units, '3713-renshe')).to.include({ name: '市人社局', shortName: '人社局', parentCode: '3713' });
    expect(byCode(units, '3713-petitions')).to.include({ name: '市信访局', kind: 'petitions_office' });
    expect(byCode(units, '3713-hotline').kind).to.equal('hotline_centre');
  });

  it('has unique codes and unique paths', () => {
    expect(new Set(units.map((u) => u.code)).size).to.equal(units.length);
    expect(new Set(units.map((u) => u.path)).size).to.equal(units.length);
  });

  it('lists every parent before its children', () => {
    const seen = new Set<string>();
    for (const u of units) {
      if (u.parentCode !== null) expect(seen.has(u.parentCode), u.code).to.equal(true);
      seen.add(u.code);
    }
  });

  it("when a unit has a parent, then its path is the parent's path followed by its own code", () => {
    const paths = new Map(units.map((u) => [u.code, u.path]));
    for (const u of units) {
      const parentPath = u.parentCode === null ? '' : paths.get(u.parentCode);
      expect(u.path, u.code).to.equal(`${parentPath}${u.code}/`);
    }
  });

  it('when the name is 探沂镇, then the pinyin is tanyizhen and the initials tyz', () => {
    expect(byCode(units, '371325105')).to.include({ pinyin: 'tanyizhen', pinyinInitials: 'tyz' });
  });

  it('writes pinyin in lowercase ASCII letters and digits only', () => {
    for (const u of units) {
      expect(u.pinyin, u.name).to.match(/^[a-z0-9]+$/);
      expect(u.pinyinInitials, u.name).to.match(/^[a-z0-9]+$/);
    }
  });

  it('when a division is seeded, then its short name is the one people use', () => {
    expect(byCode(units, '371302').shortName).to.equal('兰山');
    expect(byCode(units, '371325105').shortName).to.equal('探沂');
    expect(byCode(units, '371325').shortName).to.equal('费县');
    expect(byCode(units, '371371').shortName).to.equal('高新区');
  });
});

describe('gazetteer of Linyi', () => {
  const gazetteer = loadLinyiGazetteer();

  it('lists the 13 GB county-level divisions, 371371 included, and the 156 townships', () => {
    expect(gazetteer.counties.map((c) => c.code)).to.have.members([...GB_COUNTIES, '371371']);
    expect(gazetteer.townships).to.have.length(156);
  });

  it('places every township in a listed county', () => {
    const counties = new Set(gazetteer.counties.map((c) => c.code));
    for (const township of gazetteer.townships) expect(counties.has(township.countyCode), township.name).to.equal(true);
  });

  it('when the township is 探沂镇, then its short name is 探沂 and its county 371325', () => {
    expect(gazetteer.townships.find((t) => t.code === '371325105')).to.deep.equal({
      code: '371325105',
      name: '探沂镇',
      shortName: '探沂',
      countyCode: '371325',
    });
  });
});
