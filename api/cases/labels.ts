import type { CaseStatus, CaseType, Channel, DisclosureGround, DisclosureOutcome, Urgency } from '../../models/cases/case.js';
import { ACTION_NAMES, CATALOGUE } from '../../models/cases/action-catalogue.js';

/** Status names as citizens and staff read them. */
export const STATUS_LABELS: Readonly<Record<CaseStatus, string>> = {
  registered: '已登记',
  dispatched: '已派单',
  in_progress: '办理中',
  returned: '已退单',
  replied: '已答复',
  closed: '已办结',
};

export const TYPE_LABELS: Readonly<Record<CaseType, string>> = {
  consultation: '咨询',
  help: '求助',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  praise: '表扬',
  petition: '信访',
  disclosure: '依申请公开',
};

export const CHANNEL_LABELS: Readonly<Record<Channel, string>> = {
  hotline: '12345热线',
  mailbox: '市长信箱',
  microblog: '政务微博',
  wechat: '政务微信',
  web_qa: '网上问政',
  in_person: '当面',
  letter: '信函',
  fax: '传真',
  online: '网络',
  other: '其他',
};

export const URGENCY_LABELS: Readonly<Record<Urgency, string>> = {
  normal: '一般',
  urgent: '紧急',
  emergency: '特急',
};

/** 依申请公开 reply categories, as the annual report's table names them. */
export const DISCLOSURE_OUTCOME_LABELS: Readonly<Record<DisclosureOutcome, string>> = {
  already_public: '予以公开（已主动公开）',
  disclosed: '同意公开',
  partly_disclosed: '同意部分公开',
  not_disclosed: '不予公开',
  not_held: '本机关不掌握相关政府信息',
  not_exist: '没有现成信息需要另行制作',
  amend: '补正后申请人无正当理由逾期不补正',
  other_route: '不予处理（其他途径办理）',
  withdrawn: '申请人撤回申请',
};

export const DISCLOSURE_GROUND_LABELS: Readonly<Record<DisclosureGround, string>> = {
  state_secret: '属于国家秘密',
  commercial_secret: '涉及商业秘密',
  privacy: '涉及个人隐私',
  security_stability: '危及“三安全一稳定”',
  not_government_info: '不是《条例》所指政府信息',
  other_statutory: '其他法律行政法规禁止公开',
};

/** Timeline entries as the citizen reads them: the labels of the action catalogue. */
export const ACTION_LABELS: Readonly<Record<string, string>> = Object.fromEntries(ACTION_NAMES.map((name) => [name, CATALOGUE[name].label]));
