/** Realistic hotline intake bodies, varied over counties, townships and matters. */
const PLACES = [
  '临沂市费县探沂镇朱田村东', '兰山区金雀山街道沂蒙路', '罗庄区傅庄街道', '河东区九曲街道', '沂南县界湖街道',
  '郯城县马头镇', '沂水县沂城街道', '兰陵县卞庄街道', '平邑县平邑街道', '莒南县十字路街道', '蒙阴县蒙阴街道', '临沭县临沭街道',
];
const MATTERS = [
  ['complaint', '小区门口路灯坏了一个星期，晚上出行很不方便'],
  ['help', '家门口下水道堵塞，污水漫到路面'],
  ['consultation', '咨询办理灵活就业人员养老保险需要哪些材料'],
  ['complaint', '附近工地夜间施工噪音扰民，严重影响休息'],
  ['report', '举报某饭店使用过期食品原料'],
  ['suggestion', '建议在学校门口增设红绿灯和减速带'],
  ['complaint', '出租车司机拒载并且绕路多收费'],
  ['help', '住房公积金提取进度查询'],
] as const;

/** The i-th intake body of a benchmark run. */
export function benchIntakeBody(i: number): Record<string, unknown> {
  const [type, content] = MATTERS[i % MATTERS.length] ?? MATTERS[0];
  return {
    channel: 'hotline',
    type,
    title: content.slice(0, 12),
    content: `${content}（第${i}号来电）`,
    address: PLACES[i % PLACES.length],
    citizen: { name: '王先生', phone: `138${String(10_000_000 + (i % 89_999_999)).padStart(8, '0')}` },
  };
}
