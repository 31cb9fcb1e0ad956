import { expect } from 'chai';
import { createTermExtractor, isTopicToken, MAX_TERMS_PER_CASE, normalizeWatchTerms, parseStopWords, termFilters, termsOfTokens } from '../../models/insights/hot-topics/terms.js';
import { buildKeywordIndex } from '../../routing-rules/segmenter.js';

describe('hot-topic term extraction', () => {
  const extractor = createTermExtractor([]);

  it('when a call write-up is segmented, then boilerplate, function words and single characters are dropped and the matter stays', () => {
    const terms = extractor.extract(null, '市民来电反映：小区门口的井盖丢失了，希望尽快处理。');

    expect(terms).to.include.members(['小区', '井盖', '丢失']);
    expect(terms.filter((v) => ['市民', '来电', '反映', '希望', '尽快', '处理', '门口', '的', '了'].includes(v))).to.deep.equal([]);
    expect(terms.every((t) => [...t].length >= 2)).to.equal(true);
  });

  it('when a text holds numbers, punctuation and a case number, then none of them becomes a term', () => {
    const terms = extractor.extract('2026年第12号', '12345热线：3次投诉，编号 20261122！');

    expect(terms.filter((t) => !/\p{L}/u.test(t))).to.deep.equal([]);
    expect(terms.filter((v) => ['12345', '2026', '20261122'].includes(v))).to.deep.equal([]);
  });

  it('when a text names people and gives an e-mail address or a WeChat id, then none of them becomes a term', () => {
    const terms = extractor.extract('噪音扰民', '邻居赵卫东家装修噪音扰民，我叫王建国，邮箱 wangjianguo@example.com，微信号：wjg_linyi');

    expect(terms).to.include('噪音');
    expect(terms.filter((t) => /赵卫东|卫东|王建国|建国|wangjianguo|example|wjg|linyi/.test(t))).to.deep.equal([]);
  });

  it('when a text names a county or township, then the place is not a topic (the divisions report it)', () => {
    const terms = extractor.extract(null, '费县探沂镇下水道堵塞，兰山区也有');

    expect(terms).to.include.members(['下水道', '堵塞']);
    expect(terms.filter((v) => ['费县', '探沂镇', '探沂', '兰山区', '兰山'].includes(v))).to.deep.equal([]);
  });

  it('when a text names a zone of the org tree, then neither its name nor a piece of it is a term', () => {
    const terms = extractor.extract(null, '临沂综合保税区门口和蒙山旅游区通往景区的路上井盖破损');

    expect(terms).to.include.members(['井盖', '破损']);
    expect(terms.filter((v) => ['综合', '保税区', '综合保税区', '蒙山', '旅游区', '通往'].includes(v))).to.deep.equal([]);
  });

  it('when the title repeats words of the content, then each term is listed once, title and content alike', () => {
    const terms = extractor.extract('噪音扰民', '工地夜间施工噪音扰民');

    expect(terms.filter((t) => t === '噪音')).to.have.length(1);
    expect(terms).to.include.members(['噪音', '扰民', '工地', '夜间', '施工']);
  });

  it('when a township is named, then neither its name nor a piece of it is a term, and generic complaint verbs are dropped', () => {
    const terms = extractor.extract(null, '沂水县许家湖镇和莒南县洙边镇的路灯一直没人管，希望尽快修好');

    expect(terms).to.include('路灯');
    expect(terms.filter((v) => ['许家', '许家湖', '许家湖镇', '边镇', '洙边', '洙边镇', '修好', '没人管'].includes(v))).to.deep.equal([]);
  });

  it('when a caller tells of a child, an old parent, a neighbour, the day and the doorstep, then only the matter is a term', () => {
    const terms = extractor.extract(null, '俺家孩子和老人夜来在家门口让邻居家的大狼狗咬了，去年就咬过一回，村里的狗没人拴，打了狂犬疫苗');

    expect(terms).to.have.members(['狼狗', '狂犬', '疫苗']);
    expect(terms.filter((v) => ['俺家', '孩子', '老人', '夜来', '家门口', '门口', '邻居家', '去年', '村里', '一回'].includes(v))).to.deep.equal([]);
  });

  it('when a text counts things and spans of time, then no count becomes a term, whatever the numeral or the measure', () => {
    const counts = ['三个', '半年', '好几天', '一家', '六楼', '十几个', '两车', '半个', '一点'];

    expect(counts.filter((token) => isTopicToken(token, termFilters()))).to.deep.equal([]);
    expect(['三轮车', '一次性', '百货', '十字路口', '万达'].filter((token) => isTopicToken(token, termFilters()))).to.deep.equal(['三轮车', '一次性', '百货', '十字路口', '万达']);
  });

  it('when a caller speaks Shandong dialect, then the pronouns 俺们, 恁, 咱村 are not terms', () => {
    expect(['俺们', '俺村', '恁们', '咱村', '咱们'].filter((token) => isTopicToken(token, termFilters()))).to.deep.equal([]);
  });

  it('when a text is full-width or upper case, then it is folded as the routing keywords are', () => {
    expect(extractor.extract(null, 'ＰＭ２．５超标，APP无法登录')).to.include('app');
  });

  it('when a letter holds more distinct words than the cap, then the most specific ones are kept', () => {
    const lists = termFilters();
    const tokens = ['问题', '情况', '井盖', ...Array.from({ length: 40 }, (_, i) => `词语${String.fromCodePoint(0x4e00 + i)}`)];

    const terms = termsOfTokens(tokens, lists);

    expect(terms).to.have.length(MAX_TERMS_PER_CASE);
    // 井盖 is rare in jieba's corpus (IDF 12.1), 情况 common (4.0): the common word goes first.
    expect(terms).to.include('井盖');
    expect(terms).to.not.include('情况');
  });

  it('when a watch-list term is in the text, then it is a term even if a stop list or the cap would drop it', () => {
    const watching = createTermExtractor(['燃气费', '反映']);

    const terms = watching.extract(null, '反映本月燃气费突然上涨');

    expect(terms).to.include.members(['燃气费', '反映']);
  });

  it('when a watch-list term only spans two tokens across a word boundary, then it is not found (as routing keywords)', () => {
    const lists = termFilters();

    const terms = termsOfTokens(['马路', '灯光', '很', '暗'], lists, buildKeywordIndex(['路灯']));

    expect(terms).to.not.include('路灯');
  });

  it('when the stop-word file is parsed, then comments and blank lines are ignored and words are normalised', () => {
    const words = parseStopWords('# a comment\n的 了  是\n\nＡＢ # trailing comment\n');

    expect([...words].sort()).to.deep.equal(['ab', '了', '是', '的'].sort());
  });

  it('when tokens are judged, then single characters, pure numbers, spaces and stop words are not topics', () => {
    const lists = termFilters();

    expect(['井盖', '停水', 'app'].every((t) => isTopicToken(t, lists))).to.equal(true);
    expect(['的', '12', '3.5', ' ', '问题', '尽快', '临沂市'].some((t) => isTopicToken(t, lists))).to.equal(false);
  });

  it('when watch terms are normalised, then blanks and repeats go and case is folded', () => {
    expect(normalizeWatchTerms([' 井盖 ', '井盖', '', 'ＡＰＰ'])).to.deep.equal(['app', '井盖']);
  });
});
