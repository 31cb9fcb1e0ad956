/** A department (or office) that exists at city level and, where `county` is set, in every county too. */
export interface DepartmentSeed {
  /** The code suffix: the unit's code is `<parentCode>-<slug>`. */
  readonly slug: string;
  /** The name without the level prefix (市/县/区): '人社局'. */
  readonly name: string;
  readonly kind: 'department' | 'petitions_office' | 'disclosure_office' | 'hotline_centre';
  /** Whether each county/district has its own counterpart. */
  readonly county: boolean;
}

/**
 * The departments named in the appendix of seed 000 (与宏观经济和民生关系密切…的相关职能部门名单),
 * the other units the seeds name (信访局, 政府信息公开办公室, 12345 热线办, 住房公积金管理中心, …),
 * and the county counterparts a county-level dispatch needs.
 */
export const DEPARTMENTS: readonly DepartmentSeed[] = [
  { slug: 'hotline', name: '12345市民服务热线管理办公室', kind: 'hotline_centre', county: true },
  { slug: 'petitions', name: '信访局', kind: 'petitions_office', county: true },
  { slug: 'disclosure', name: '政府信息公开办公室', kind: 'disclosure_office', county: true },
  { slug: 'fagai', name: '发改委', kind: 'department', county: true },
  { slug: 'jingxin', name: '经信委', kind: 'department', county: true },
  { slug: 'caizheng', name: '财政局', kind: 'department', county: true },
  { slug: 'renshe', name: '人社局', kind: 'department', county: true },
  { slug: 'guotu', name: '国土局', kind: 'department', county: true },
  { slug: 'zhujian', name: '住建委', kind: 'department', county: true },
  { slug: 'fangchan', name: '房产局', kind: 'department', county: true },
  { slug: 'guihua', name: '规划局', kind: 'department', county: true },
  { slug: 'shangwu', name: '商务局', kind: 'department', county: true },
  { slug: 'gongshang', name: '工商局', kind: 'department', county: true },
  { slug: 'dishui', name: '地税局', kind: 'department', county: true },
  { slug: 'minzheng', name: '民政局', kind: 'department', county: true },
  { slug: 'weisheng', name: '卫生局', kind: 'department', county: true },
  { slug: 'jisheng', name: '计生委', kind: 'department', county: true },
  { slug: 'huanbao', name: '环保局', kind: 'department', county: true },
  { slug: 'chengguan', name: '城管局', kind: 'department', county: true },
  { slug: 'jiaoyu', name: '教育局', kind: 'department', county: true },
  { slug: 'gongan', name: '公安局', kind: 'department', county: true },
  { slug: 'jiaoyun', name: '交运局', kind: 'department', county: true },
  { slug: 'gonglu', name: '公路局', kind: 'department', county: true },
  { slug: 'wujia', name: '物价局', kind: 'department', county: true },
  { slug: 'anjian', name: '安监局', kind: 'department', county: true },
  { slug: 'shiyaojian', name: '食药监局', kind: 'department', county: true },
  { slug: 'nongwei', name: '农委', kind: 'department', county: true },
  { slug: 'shuili', name: '水利局', kind: 'department', county: true },
  { slug: 'yuye', name: '渔业局', kind: 'department', county: true },
  { slug: 'linye', name: '林业局', kind: 'department', county: true },
  { slug: 'zhijian', name: '质监局', kind: 'department', county: true },
  { slug: 'gongjijin', name: '住房公积金管理中心', kind: 'department', county: false },
  { slug: 'lvyou', name: '旅游局', kind: 'department', county: true },
  { slug: 'keji', name: '科技局', kind: 'department', county: true },
  { slug: 'shenji', name: '审计局', kind: 'department', county: true },
  { slug: 'fupin', name: '扶贫办', kind: 'department', county: true },
  { slug: 'guozi', name: '国资委', kind: 'department', county: false },
  { slug: 'guoshui', name: '国税局', kind: 'department', county: true },
  { slug: 'fazhi', name: '法制办', kind: 'department', county: false },
  { slug: 'zhengwu', name: '政务服务中心管理办公室', kind: 'department', county: true },
  { slug: 'xinwen', name: '政府新闻办公室', kind: 'department', county: false },
  // The units the dispatch catalogue (routing-rules/catalogue/) names that the 2014 list lacks:
  // the bureaus of the 2019 reform, and the utilities, which 12345 dispatches to as outside units.
  { slug: 'yibao', name: '医疗保障局', kind: 'department', county: true },
  { slug: 'shichang', name: '市场监督管理局', kind: 'department', county: true },
  { slug: 'zonghezhifa', name: '综合行政执法局', kind: 'department', county: true },
  { slug: 'gongshui', name: '供水公司', kind: 'department', county: false },
  { slug: 'gongre', name: '热力公司', kind: 'department', county: false },
  { slug: 'ranqi', name: '燃气公司', kind: 'department', county: false },
  { slug: 'gongdian', name: '供电公司', kind: 'department', county: false },
];

/**
 * The county-level zones the seeds name beside the GB/T 2260 divisions (high-tech zone 371371 is
 * in the gazetteer already). They have no GB/T 2260 code, so they take `3713-<slug>`.
 */
export const ZONES: readonly { readonly slug: string; readonly name: string }[] = [
  { slug: 'jingkai', name: '临沂经济技术开发区' },
  { slug: 'lingang', name: '临沂临港经济开发区' },
  { slug: 'mengshan', name: '蒙山旅游区' },
  { slug: 'shangcheng', name: '临沂商城' },
  { slug: 'zongbao', name: '临沂综合保税区' },
];

export const CITY_CODE = '3713';
export const CITY_NAME = '临沂市';
