import type { CaseType } from '../cases/case.js';

/** An Open311 service: what a client may file, and the case type and category it becomes. */
export interface Open311Service {
  readonly code: string;
  readonly name: string;
  readonly description: string;
  readonly group: string;
  readonly keywords: readonly string[];
  readonly caseType: CaseType;
  /** The case category; null for a type's general service, which takes every other category. */
  readonly category: string | null;
}

const service = (code: string, caseType: CaseType, category: string | null, name: string, group: string, keywords: readonly string[], description: string): Open311Service => ({
  code,
  name,
  description,
  group,
  keywords,
  caseType,
  category,
});

/**
 * The requestable services: the categories the routing rules and the centre use most, each under
 * its case type, and one general service per type for everything else. Petitions (信访) and
 * disclosure requests (依申请公开) are statutory procedures with their own forms and are not offered.
 */
export const OPEN311_SERVICES: readonly Open311Service[] = [
  service('complaint-municipal', 'complaint', '市政设施', '市政设施损坏', '城市管理', ['路灯', '井盖', '道路', '积水', '下水道'], '路灯不亮、井盖缺失、道路破损、积水等市政设施问题'),
  service('complaint-sanitation', 'complaint', '环境卫生', '环境卫生', '城市管理', ['垃圾', '清运', '卫生'], '垃圾清运不及时、公共区域脏乱等'),
  service('complaint-noise', 'complaint', '噪音扰民', '噪音扰民', '城市管理', ['噪音', '广场舞', '施工'], '夜间施工、广场舞、商铺音响等噪音扰民'),
  service('complaint-street-order', 'complaint', '市容秩序', '市容秩序', '城市管理', ['占道经营', '摊贩', '乱停'], '占道经营、流动摊贩等市容秩序问题'),
  service('complaint-building', 'complaint', '违章建筑', '违章建筑', '城市管理', ['私搭乱建', '违建'], '私搭乱建、占用公共通道'),
  service('complaint-environment', 'complaint', '环境保护', '环境污染', '生态环境', ['废气', '污水', '偷排'], '偷排废气废水、异味等环境污染'),
  service('complaint-transport', 'complaint', '交通运输', '交通运输', '交通出行', ['出租车', '公交', '拒载'], '出租车拒载绕路、公交服务等'),
  service('complaint-property', 'complaint', '物业管理', '物业管理', '住房', ['物业', '小区'], '小区物业服务问题'),
  service('help-heating', 'help', '供暖', '供暖问题', '住房', ['暖气', '供暖'], '暖气不热、停暖等'),
  service('help-wages', 'help', '劳动保障', '拖欠工资', '就业社保', ['工资', '欠薪'], '拖欠工资等劳动保障求助'),
  service('report-food', 'report', '食品安全', '食品安全举报', '市场监管', ['食品', '过期', '变质'], '使用过期食品原料等食品安全问题'),
  service('consultation-social-security', 'consultation', '社会保障', '社保医保咨询', '就业社保', ['社保', '医保', '养老保险'], '养老保险、医保报销等政策咨询'),
  service('general-complaint', 'complaint', null, '其他投诉', '其他', ['投诉'], '以上未列出的投诉'),
  service('general-help', 'help', null, '其他求助', '其他', ['求助'], '以上未列出的求助'),
  service('general-report', 'report', null, '其他举报', '其他', ['举报'], '以上未列出的举报'),
  service('general-consultation', 'consultation', null, '政策咨询', '其他', ['咨询'], '政策、办事流程咨询'),
  service('general-suggestion', 'suggestion', null, '意见建议', '其他', ['建议'], '对城市管理和政府服务的意见建议'),
  service('general-praise', 'praise', null, '表扬', '其他', ['表扬', '感谢'], '对部门和工作人员的表扬'),
];

/** The case types Open311 reads show: petitions and disclosure requests never appear. */
export const OPEN311_CASE_TYPES: readonly CaseType[] = [...new Set(OPEN311_SERVICES.map((s) => s.caseType))];

/** A service by its code. */
export function findService(code: string): Open311Service | undefined {
  return OPEN311_SERVICES.find((s) => s.code === code);
}

/** The service a case is listed under: its category's service, else its type's general one. */
export function serviceOfCase(caseType: CaseType, category: string | null): Open311Service | undefined {
  return (
    OPEN311_SERVICES.find((s) => s.caseType === caseType && s.category !== null && s.category === category) ??
    OPEN311_SERVICES.find((s) => s.caseType === caseType && s.category === null)
  );
}

/** The (type, category) pairs a service code selects cases by, for filtering reads. */
export function caseFilterOf(chosen: Open311Service): { caseType: CaseType; category: string | null; excludeCategories: string[] } {
  const excludeCategories = chosen.category === null ? OPEN311_SERVICES.flatMap((s) => (s.caseType === chosen.caseType && s.category !== null ? [s.category] : [])) : [];
  return { caseType: chosen.caseType, category: chosen.category, excludeCategories };
}
