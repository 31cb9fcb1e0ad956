import type { Queryable } from '../../infra/db.js';

/**
 * What a synthetic year is made of: the matters citizens call about, which units own them, and
 * how often. Weights are relative; they are expanded into arrays that SQL draws from uniformly.
 */
interface Matter {
  readonly type: string;
  readonly category: string;
  readonly title: string;
  readonly content: string;
  /** 'township' (属地), 'zone', or the slug of the department that owns it (county and city level). */
  readonly owner: string;
  readonly weight: number;
}

const MATTERS: readonly Matter[] = [
  { type: 'complaint', category: '市政设施', title: '路灯不亮', content: '小区门口路灯坏了一个星期，晚上出行很不方便', owner: 'township', weight: 8 },
  { type: 'complaint', category: '环境卫生', title: '垃圾清运不及时', content: '垃圾桶满了好几天没人清运，气味很大', owner: 'township', weight: 7 },
  { type: 'complaint', category: '噪音扰民', title: '广场舞噪音扰民', content: '附近广场舞音响声音太大，晚上十点后还在扰民', owner: 'township', weight: 5 },
  { type: 'help', category: '市政设施', title: '下水道堵塞', content: '家门口下水道堵塞，污水漫到路面', owner: 'township', weight: 5 },
  { type: 'complaint', category: '市容秩序', title: '占道经营', content: '路口流动摊贩占道经营，早晚高峰通行困难', owner: 'township', weight: 4 },
  { type: 'complaint', category: '违章建筑', title: '私搭乱建', content: '邻居私搭乱建，占用公共通道', owner: 'township', weight: 3 },
  { type: 'help', category: '供暖', title: '暖气不热', content: '暖气不热，室温只有十几度，家里有老人孩子', owner: 'township', weight: 4 },
  { type: 'complaint', category: '市政设施', title: '道路积水', content: '雨后路面积水严重，车辆行人无法通行', owner: 'township', weight: 3 },
  { type: 'suggestion', category: '绿化', title: '增加绿化', content: '建议在小区周边增加绿化和健身器材', owner: 'township', weight: 2 },
  { type: 'praise', category: '表扬', title: '感谢街道', content: '感谢街道工作人员及时帮忙修好了井盖', owner: 'township', weight: 1 },
  { type: 'consultation', category: '社会保障', title: '养老保险缴纳', content: '咨询灵活就业人员养老保险怎么缴纳', owner: 'renshe', weight: 6 },
  { type: 'help', category: '劳动保障', title: '拖欠工资', content: '在工地干活被拖欠工资三个月，请求帮助', owner: 'renshe', weight: 5 },
  { type: 'consultation', category: '社会保障', title: '医保报销', content: '咨询异地就医医保报销需要哪些材料', owner: 'renshe', weight: 4 },
  { type: 'consultation', category: '户籍管理', title: '孩子落户', content: '咨询孩子落户需要带哪些材料', owner: 'gongan', weight: 3 },
  { type: 'report', category: '治安', title: '电话诈骗', content: '举报有人冒充客服电话诈骗', owner: 'gongan', weight: 2 },
  { type: 'report', category: '食品安全', title: '过期食品', content: '举报某饭店使用过期食品原料', owner: 'shiyaojian', weight: 3 },
  { type: 'complaint', category: '环境保护', title: '偷排废气', content: '附近化工厂夜间偷排废气，气味刺鼻', owner: 'huanbao', weight: 3 },
  { type: 'complaint', category: '交通运输', title: '出租车拒载', content: '出租车司机拒载并且绕路多收费', owner: 'jiaoyun', weight: 3 },
  { type: 'suggestion', category: '交通运输', title: '增开公交线路', content: '建议增开通往工业园区的公交线路', owner: 'jiaoyun', weight: 2 },
  { type: 'complaint', category: '教育', title: '有偿补课', content: '学校老师违规组织有偿补课', owner: 'jiaoyu', weight: 3 },
  { type: 'consultation', category: '教育', title: '小学入学', content: '咨询小学入学报名时间和所需材料', owner: 'jiaoyu', weight: 3 },
  { type: 'complaint', category: '医疗卫生', title: '挂号排队', content: '医院排队挂号时间太长，看病难', owner: 'weisheng', weight: 2 },
  { type: 'complaint', category: '物业管理', title: '物业服务差', content: '小区物业服务差，公共区域长期无人打扫', owner: 'fangchan', weight: 4 },
  { type: 'help', category: '燃气安全', title: '燃气管道老化', content: '小区燃气管道老化，担心安全隐患', owner: 'zhujian', weight: 2 },
  { type: 'help', category: '供水', title: '突然停水', content: '小区突然停水，没有提前通知', owner: 'chengguan', weight: 3 },
  { type: 'consultation', category: '民政', title: '低保申请', content: '咨询低保申请条件和办理流程', owner: 'minzheng', weight: 2 },
  { type: 'complaint', category: '国土资源', title: '非法占地', content: '村里有人非法占用耕地建房', owner: 'guotu', weight: 1 },
  { type: 'complaint', category: '消费维权', title: '拒绝退货', content: '网购商品质量问题商家拒绝退货退款', owner: 'gongshang', weight: 3 },
  { type: 'complaint', category: '价格收费', title: '收费不明码标价', content: '停车场收费不明码标价，随意收费', owner: 'wujia', weight: 1 },
  { type: 'consultation', category: '住房公积金', title: '公积金提取', content: '咨询住房公积金提取条件', owner: 'gongjijin', weight: 3 },
  { type: 'suggestion', category: '政务服务', title: '延长办理时间', content: '建议政务服务大厅延长周末办理时间', owner: 'zhengwu', weight: 1 },
  { type: 'complaint', category: '园区管理', title: '园区道路破损', content: '园区企业门口道路破损严重', owner: 'zone', weight: 1 },
  { type: 'petition', category: '信访', title: '征地补偿款', content: '反映征地补偿款长期未发放', owner: 'petitions', weight: 1 },
  { type: 'disclosure', category: '政府信息公开', title: '申请公开补偿标准', content: '申请公开旧城改造项目的补偿标准', owner: 'disclosure', weight: 1 },
];

/** Channels of non-disclosure cases, by share of a hundred (the phone dominates). */
const CHANNEL_SHARES: readonly [string, number][] = [
  ['hotline', 70], ['wechat', 8], ['mailbox', 7], ['web_qa', 5], ['microblog', 4], ['online', 3], ['letter', 2], ['in_person', 1],
];

/** A city department carries the weight of this many counties' counterparts (it serves the whole city). */
const CITY_DEPARTMENT_WEIGHT = 3;

/** The arrays a simulation batch draws from, as SQL parameters. */
export interface SimulationMix {
  /** Candidate units, grouped by owner; a matter draws from its own slice. */
  readonly units: string[];
  /** Where each unit is, for the address (parallel to `units`). */
  readonly addresses: string[];
  /** One entry per weight unit of each matter: the matter's fields and its slice of `units`. */
  readonly types: string[];
  readonly categories: string[];
  readonly titles: string[];
  readonly contents: string[];
  readonly sliceStart: number[];
  readonly sliceLength: number[];
  readonly channels: string[];
}

interface UnitRow {
  code: string;
  name: string;
  kind: string;
  parent_code: string | null;
  parent_name: string | null;
}

/** Builds the mix from the units in the database, so that every drawn code exists. */
export async function loadSimulationMix(db: Queryable): Promise<SimulationMix> {
  const { rows } = await db.query<UnitRow>(
    `SELECT u.code, u.name, u.kind, u.parent_code, p.name AS parent_name FROM units u LEFT JOIN units p ON p.code = u.parent_code ORDER BY u.path`,
  );
  const city = rows.find((u) => u.parent_code === null);
  if (!city) throw new Error('the units are not seeded: run the migrations first');
  const isCounty = (u: UnitRow): boolean => u.kind === 'county' && u.parent_code === city.code;
  const counties = new Set(rows.filter(isCounty).map((u) => u.code));
  const slugOf = (u: UnitRow): string | undefined => /-([a-z]+)$/.exec(u.code)?.[1];
  const owners = new Map<string, { code: string; address: string; weight: number }[]>();
  const add = (owner: string, u: UnitRow, address: string, weight: number): void => {
    owners.set(owner, [...(owners.get(owner) ?? []), { code: u.code, address, weight }]);
  };
  for (const u of rows) {
    const inCounty = u.parent_code !== null && counties.has(u.parent_code);
    if (u.kind === 'township' && inCounty) {
      // Streets (街道, codes 0xx) are urban and call more than rural towns.
      add('township', u, `${city.name}${u.parent_name ?? ''}${u.name}`, u.code.at(-3) === '0' ? 2 : 1);
    } else if (isCounty(u) && u.code.includes('-')) {
      add('zone', u, `${city.name}${u.name}`, 1);
    } else if (u.kind !== 'township' && u.kind !== 'county' && u.kind !== 'city') {
      const slug = slugOf(u);
      const cityLevel = u.parent_code === city.code;
      if (slug) add(slug, u, cityLevel ? city.name : `${city.name}${u.parent_name ?? ''}`, cityLevel ? CITY_DEPARTMENT_WEIGHT : 1);
    }
  }
  const mix: SimulationMix = { units: [], addresses: [], types: [], categories: [], titles: [], contents: [], sliceStart: [], sliceLength: [], channels: [] };
  const slices = new Map<string, [number, number]>();
  for (const [owner, list] of owners) {
    const start = mix.units.length;
    for (const entry of list) {
      for (let i = 0; i < entry.weight; i += 1) {
        mix.units.push(entry.code);
        mix.addresses.push(entry.address);
      }
    }
    slices.set(owner, [start + 1, mix.units.length - start]);
  }
  for (const matter of MATTERS) {
    const slice = slices.get(matter.owner);
    if (!slice) throw new Error(`no unit owns "${matter.owner}" matters`);
    for (let i = 0; i < matter.weight; i += 1) {
      mix.types.push(matter.type);
      mix.categories.push(matter.category);
      mix.titles.push(matter.title);
      mix.contents.push(matter.content);
      mix.sliceStart.push(slice[0]);
      mix.sliceLength.push(slice[1]);
    }
  }
  for (const [channel, share] of CHANNEL_SHARES) for (let i = 0; i < share; i += 1) mix.channels.push(channel);
  return mix;
}
