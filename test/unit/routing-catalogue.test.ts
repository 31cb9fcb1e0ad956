import { expect } from 'chai';
import { DEPARTMENTS } from '../../models/org/seed/departments.js';
import { compileCatalogue, parseMatter, scoreMatters, type Matter } from '../../routing-rules/catalogue.js';
import { loadCatalogue } from '../../routing-rules/catalogue-files.js';
import { loadDefaultRules } from '../../routing-rules/default-rules.js';
import { compileRules, decide } from '../../routing-rules/engine.js';
import { segmenterFor } from '../../routing-rules/segmenter.js';
import type { RoutingCaseInput } from '../../routing-rules/rule.js';

const complaint = (content: string, divisionCode: string | null = '371325105'): RoutingCaseInput => ({
  type: 'complaint',
  channel: 'hotline',
  urgency: 'normal',
  content,
  divisionCode,
});

const matter = (id: string, owner: string, words: string[], exclusions?: string[]): Matter =>
  parseMatter({ id, name: id, owner, words, ...(exclusions ? { exclusions } : {}) }, 'test');

describe('dispatch catalogue', () => {
  const matters = loadCatalogue();
  const compiled = compileRules(loadDefaultRules(), { catalogue: compileCatalogue(matters) });
  const route = (content: string, divisionCode?: string | null): ReturnType<typeof decide> => decide(compiled, complaint(content, divisionCode));

  it('when loaded, then it holds at least 200 matters, each owned by a known department slug, a territorial level or a unit', () => {
    expect(matters.length).to.be.at.least(200);
    const slugs = new Set(DEPARTMENTS.map((d) => d.slug));
    for (const { id, target } of matters) {
      if (target.kind === 'unit') expect(slugs.has(target.unitCode.replace(/^3713-/, '')), id).to.equal(true);
      else if (target.departmentSlug !== undefined) expect(slugs.has(target.departmentSlug), id).to.equal(true);
    }
  });

  it('when a matter is badly written, then parsing names the field', () => {
    expect(() => parseMatter({ id: 'x', name: 'x', owner: 'Not A Slug', words: ['路灯'] }, 'f')).to.throw(/owner/);
    expect(() => parseMatter({ id: 'x', name: 'x', owner: 'township', words: [] }, 'f')).to.throw(/words/);
    expect(() => parseMatter({ id: 'x', name: 'x', owner: 'township', words: ['路 灯'] }, 'f')).to.throw(/words\[0\]/);
  });

  it('when a street-level matter is named, then it goes to the township of the case', () => {
    const decision = route('村东头的路灯坏了半个月了');
    expect(decision.matched).to.include({ source: 'catalogue', ruleId: 'catalogue:urban-street-light', unitCode: '371325105' });
  });

  it('when the place is only the scene of the matter, then the place does not decide (学校门口的井盖 stays with the township)', () => {
    expect(route('学校门口的下水井盖丢了，孩子放学很危险').matched?.unitCode).to.equal('371325105');
    // In a 街道: a 镇's stalls are the township's (ruralTownship).
    expect(route('医院门口全是摆摊的，把路都占了', '371325001').matched?.unitCode).to.equal('371325-chengguan');
  });

  it('when a consequence is mentioned, then the matter still decides (a fall on the bus is the bus company\'s, not the hospital\'s)', () => {
    expect(route('公交车司机急刹车，我妈摔了，现在还在医院').matched?.unitCode).to.equal('371325-jiaoyun');
  });

  it('when a phone number or a number plate is in the text, then it changes nothing', () => {
    const plain = route('工地老板拖欠工资三个月了');
    const withNumbers = route('工地老板拖欠工资三个月了，我电话13905391234，他车牌鲁Q12345');
    expect(withNumbers.matched?.unitCode).to.equal(plain.matched?.unitCode).and.to.equal('371325-renshe');
  });

  it('when only context words are present, then the case waits for the centre with them as suggestions', () => {
    const decision = route('医院的事情想问一下');
    expect(decision.matched).to.equal(null);
    expect(decision.suggestions[0]?.unitCode).to.equal('371325-weisheng');
  });

  it('when a street-level matter has no known place, then it waits for the centre instead of going to the city', () => {
    expect(route('路灯不亮了', null).matched).to.equal(null);
  });

  it('when a county department\'s matter names no county, then it waits for the centre to ask where, unless the city runs it city-wide or the unit exists only at city level', () => {
    expect(route('楼下天天有人摆摊卖菜，早上五点就吆喝', null).matched).to.equal(null);
    expect(route('房东找理由扣着两千块押金不退', null).matched).to.equal(null);
    expect(route('社保卡丢了怎么补办', null).matched?.unitCode).to.equal('3713-renshe');
    expect(route('身份证丢了在外地能不能补办', null).matched?.unitCode).to.equal('3713-gongan');
    expect(route('早上拧开水龙头不出水', null).matched?.unitCode).to.equal('3713-gongshui');
    expect(route('楼下天天有人摆摊卖菜，早上五点就吆喝', '371325').matched?.unitCode).to.equal('371325-chengguan');
  });

  for (const flag of ['cityWide', 'ruralTownship'] as const) {
    it(`when a matter is marked ${flag}, then it must be a county department's matter`, () => {
      const parse = (owner: string, value: unknown) => () => parseMatter({ id: 'x', name: 'x', owner, [flag]: value, words: ['社保卡'] }, 'f');
      expect(parse('renshe', true)()[flag]).to.equal(true);
      expect(parse('township', true)).to.throw(new RegExp(`${flag}.*only for a matter a county's department owns`));
      expect(parse('unit:3713-gongjijin', true)).to.throw(new RegExp(`${flag}.*only for a matter a county's department owns`));
      expect(parse('renshe', 'yes')).to.throw(new RegExp(`${flag}.*true or false`));
    });
  }

  it("when a county department's matter is the township's in towns and townships (ruralTownship), then a 镇's or a 乡's case goes to the township, a 街道's or the county town's to the department", () => {
    const dogs = '好几条流浪狗见人就追，前天把邻居家孩子咬了';
    expect(route(dogs, '371325105').matched).to.include({ ruleId: 'catalogue:urban-stray-dog', unitCode: '371325105' });
    expect(route(dogs, '371325200').matched?.unitCode).to.equal('371325200');
    expect(route(dogs, '371325001').matched?.unitCode).to.equal('371325-gongan');
    expect(route(dogs, '371325').matched?.unitCode).to.equal('371325-gongan');
    expect(route(dogs, null).matched).to.equal(null);
    const lone = (ruralTownship: boolean) => compileRules([], { catalogue: compileCatalogue([parseMatter({ id: 'dog', name: 'dog', owner: 'gongan', ruralTownship, words: ['流浪狗'] }, 'f')]) });
    expect(decide(lone(false), complaint(dogs, '371325105')).matched?.unitCode).to.equal('371325-gongan');
    expect(decide(lone(true), complaint(dogs, '371325105')).matched?.unitCode).to.equal('371325105');
  });

  it("when a township's matter names its county and no township, then the county department the matter names takes it (the county town's street light is 城管局's), and a village matter waits for the centre to ask where", () => {
    expect(route('县城中兴路的路灯坏了一大半，晚上黑乎乎的', '371324').matched).to.include({ ruleId: 'catalogue:urban-street-light', unitCode: '371324-chengguan' });
    expect(route('县城人民路下水道堵了，污水漫到路上', '371324').matched?.unitCode).to.equal('371324-zhujian');
    const village = route('村里的会计账目好几年不公开，村干部作风霸道', '371324');
    expect(village.matched).to.equal(null);
    expect(village.suggestions.map((s) => s.unitCode)).to.not.include('371324');
    expect(route('村里的会计账目好几年不公开，村干部作风霸道', '371324105').matched?.unitCode).to.equal('371324105');
  });

  it('when a matter names a department for cases without a township, then it must be a township\'s matter and the name a department slug', () => {
    const parse = (owner: string, withoutTownship: unknown) => () => parseMatter({ id: 'x', name: 'x', owner, withoutTownship, words: ['路灯'] }, 'f');
    expect(parse('township', 'chengguan')().withoutTownship).to.deep.equal({ kind: 'territorial', departmentSlug: 'chengguan' });
    expect(parse('renshe', 'chengguan')).to.throw(/withoutTownship.*only for a matter the township owns/);
    expect(parse('township', 'county')).to.throw(/withoutTownship.*department slug/);
    expect(parse('township', 'unit:3713-gongshui')).to.throw(/withoutTownship.*department slug/);
  });

  it('when two units score close, then the case waits with up to three suggestions, each with its reason', () => {
    const catalogue = compileCatalogue([matter('a', 'renshe', ['工资']), matter('b', 'jiaoyu', ['学校']), matter('c', 'weisheng', ['医院'])]);
    const rules = compileRules([], { catalogue, segmenter: segmenterFor(['工资', '学校', '医院']) });
    const decision = decide(rules, complaint('学校和医院都欠工资'));
    expect(decision.matched).to.equal(null);
    expect(decision.suggestions).to.have.length(3);
    for (const s of decision.suggestions) {
      expect(s.confidence).to.be.within(0, 1);
      expect(s.basis).to.match(/catalogue matter/);
    }
  });

  it('when two matters are named by words of one length, then the word rarer in general text weighs more (低保 over 工资)', () => {
    const catalogue = compileCatalogue([matter('pay', 'renshe', ['工资']), matter('relief', 'minzheng', ['低保'])]);
    const [best, next] = scoreMatters(catalogue, new Set(['工资', '低保']));
    expect(best?.matter.id).to.equal('relief');
    expect(best?.score).to.be.greaterThan(next?.score ?? Infinity);
  });

  it('when the specificity is given, then a common word weighs less and a rare one more, within bounds', () => {
    const idf = (word: string): number => (word === '常见' ? 3 : 20);
    const catalogue = compileCatalogue([matter('common', 'renshe', ['常见']), matter('rare', 'jiaoyu', ['罕见'])], { specificity: idf });
    const score = (word: string): number => scoreMatters(catalogue, new Set([word]))[0]?.score ?? 0;
    expect(score('常见')).to.be.lessThan(1).and.to.be.at.least(0.8);
    expect(score('罕见')).to.be.greaterThan(1).and.to.be.at.most(1.25);
  });

  it('when the best unit leads by the margin but not by the ratio, then the case waits for the centre', () => {
    const flat = (): number => 9;
    const matters = [matter('lights', 'township', ['路灯总不亮']), matter('power', 'gongdian', ['电线老化'])];
    const thresholds = { minScore: 0.8, margin: 0.5, ratio: 1.3 };
    const words = ['路灯总不亮', '电线老化'];
    const text = '路灯总不亮，电线老化';
    const strict = compileRules([], { catalogue: compileCatalogue(matters, { thresholds, specificity: flat }), segmenter: segmenterFor(words) });
    expect(decide(strict, complaint(text)).matched).to.equal(null);
    const loose = compileRules([], { catalogue: compileCatalogue(matters, { thresholds: { ...thresholds, ratio: 1 }, specificity: flat }), segmenter: segmenterFor(words) });
    expect(decide(loose, complaint(text)).matched?.unitCode).to.equal('371325105');
  });

  it('when the best unit leads by exactly the margin, then it dispatches although the sum is fractional (0.9 - 0.4)', () => {
    const specificity = (word: string): number => (word === '井盖' ? 8.1 : 9);
    const matters = [matter('cover', 'township', ['井盖']), matter('clinic', 'weisheng', ['~医院'])];
    const rules = compileRules([], { catalogue: compileCatalogue(matters, { specificity }), segmenter: segmenterFor(['井盖', '医院']) });
    expect(decide(rules, complaint('医院门口井盖丢了')).matched?.unitCode).to.equal('371325105');
  });

  it('when an exclusion word is present, then its matter is out', () => {
    const catalogue = compileCatalogue([matter('trash', 'township', ['垃圾'], ['垃圾短信']), matter('sms', 'gongan', ['骚扰'])]);
    const rules = compileRules([], { catalogue, segmenter: segmenterFor(['垃圾', '垃圾短信', '骚扰']) });
    expect(decide(rules, complaint('天天收到垃圾短信骚扰')).suggestions.map((s) => s.unitCode)).to.deep.equal(['371325-gongan']);
  });

  it('when a matter is worded as citizens word it, then it goes to its owner rather than to an incidental word\'s', () => {
    const cases: [string, string][] = [
      ['早上拧开水龙头不出水', '371325-gongshui'],
      ['楼道里堆着垃圾好几天，物业不管事', '371325-fangchan'],
      ['村里有人在家偷偷做烟花，屋里堆着火药', '371325-anjian'],
      ['车间里粉尘很大，工人连口罩都没有', '371325-anjian'],
      ['小区旁边要建加油站，规划审批合法吗', '371325-guihua'],
      ['在美容院办了年卡，店停业了钱不退', '371325-shichang'],
      ['超市的菜不贴价签，结账才知道贵', '371325-shichang'],
      ['收废铁的称重的时候少算了我好几斤', '371325-shichang'],
      ['村后山上的松树成片枯死', '371325-linye'],
      ['路口的街灯坏了一个星期', '371325105'],
      ['孩子学校的体育课全被主科占了', '371325-jiaoyu'],
      ['半夜有人骑摩托在街上轰油门', '371325-gongan'],
      ['孩子上户口，派出所让拿出生证明', '371325-gongan'],
      ['路口的行道树没人修剪，信号灯都被遮住了', '371325-chengguan'],
      ['装修公司干完活不给开票', '371325-guoshui'],
      ['申请光伏并网半年了没人办', '371325-gongdian'],
      ['楼下有人喝多了拿着刀骂街', '371325-gongan'],
      ['夜里有人往河沟里偷倒废料', '371325-huanbao'],
      ['在农资店买的化肥是假的', '371325-nongwei'],
      ['夜里总有人开车在街上一直按喇叭', '371325-gongan'],
      ['小河沟里全是塑料袋和垃圾', '371325105'],
      ['在4S店修车不给开发票', '371325-guoshui'],
      ['有人说交钱能办低保，钱一转就把我拉黑了', '371325-gongan'],
      ['菜市场买的猪肉颜色发暗，像是病死猪肉', '371325-shichang'],
      ['国道上的护栏被大车撞坏了一大段', '371325-gonglu'],
      ['老街上的路名牌都掉了，外地人问路都不知道是哪条路', '371325-minzheng'],
    ];
    for (const [text, unitCode] of cases) expect(route(text).matched?.unitCode, text).to.equal(unitCode);
  });

  it('when a river, a bus station or a bike lane only says where, then the matter decides, or the centre', () => {
    // The stalls in a 街道 (费城街道): a 镇's are the township's (ruralTownship).
    const cases: [string, string | null, string?][] = [
      ['祊河边上有人天天晚上电鱼，河里的鱼快绝了', '371325-yuye'],
      ['汽车站旁边的小吃摊把人行道全占了', '371325-chengguan', '371325001'],
      ['卖水果的货车天天停在非机动车道上卖', '371325-chengguan', '371325001'],
      ['涑河北街有家店私自破墙开门', null],
      ['网上认识的女朋友借了三万，现在联系不上了', null],
      ['村里修路让每家集资五百', null],
    ];
    for (const [text, unitCode, divisionCode] of cases) expect(route(text, divisionCode).matched?.unitCode ?? null, text).to.equal(unitCode);
  });

  it('when how a petition was handled is complained of, then the petitions office takes it, not the unit of the matter petitioned about', () => {
    expect(route('去年为了宅基地的事到县信访局上访，登记完说六十天答复，到现在也没有信访答复').matched?.unitCode).to.equal('371325-petitions');
    expect(route('对县里出的信访复查意见不服，强拆的事到底找谁').matched?.unitCode).to.equal('371325-petitions');
  });

  it('when 公积金 is asked about, then rent and 户口 around it do not take the case', () => {
    expect(route('老家在外省，想用公积金付房租，租房合同要备案吗').matched?.unitCode).to.equal('3713-gongjijin');
  });

  it('when a rule matches, then it wins over the catalogue', () => {
    const decision = decide(compiled, { ...complaint('路灯不亮，我要申请公开路灯维修的经费'), type: 'disclosure' });
    expect(decision.matched).to.include({ source: 'rule', unitCode: '371325-disclosure' });
  });

  it('when a place name is in the text, then the segmenter keeps it whole', () => {
    expect(compiled.segmenter.tokenize('沂水县许家湖镇的路灯修好了')).to.include.members(['许家湖镇', '路灯']);
    expect(compiled.segmenter.tokenize('莒南县洙边镇')).to.include('洙边镇');
  });
});
