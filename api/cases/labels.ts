import type { CaseStatus, CaseType, Channel } from '../../models/case.js';
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

/** Timeline entries as the citizen reads them: the labels of the action catalogue. */
export const ACTION_LABELS: Readonly<Record<string, string>> = Object.fromEntries(ACTION_NAMES.map((name) => [name, CATALOGUE[name].label]));
