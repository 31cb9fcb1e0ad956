import { ACTION_LABELS } from '../labels.js';

/** Staff roles as the console names them. */
export const ROLE_LABELS = { admin: '系统管理员', supervisor: '中心督办', operator: '话务员', handler: '承办人员' } as const;
export type StaffRole = keyof typeof ROLE_LABELS;
export const STAFF_ROLES = Object.keys(ROLE_LABELS) as StaffRole[];

/** Kinds of unit in the organisation tree. */
export const UNIT_KIND_LABELS: Readonly<Record<string, string>> = {
  city: '市',
  county: '县区',
  township: '乡镇街道',
  department: '部门',
  petitions_office: '信访部门',
  disclosure_office: '政务公开办',
  hotline_centre: '热线中心',
};

/** What an audit entry is about (models/audit.repository.ts, AUDIT_SUBJECTS). */
export const AUDIT_SUBJECT_LABELS: Readonly<Record<string, string>> = {
  case: '工单',
  routing_rule: '分派规则',
  user: '用户',
  unit: '单位',
  time_limit_policy: '时限政策',
  calendar: '工作日历',
  channel: '渠道',
  ranking_weights: '排名权重',
  watch_list: '热点关注词',
  personal_data: '个人信息',
  open311_client: 'Open311 接入方',
};

// Configuration and account actions; case actions take the catalogue's labels.
const CONFIG_ACTION_LABELS: Readonly<Record<string, string>> = {
  create: '新建',
  update: '修改',
  delete: '删除',
  seed: '初始导入',
  put: '设置',
  replace: '整体替换',
  load_year: '导入全年安排',
  test_send: '发送测试',
  rename: '改名',
  move: '调整上级',
  disable: '停用',
  enable: '启用',
  password_reset: '重置密码',
  password_change: '修改本人密码',
  login: '登录',
  login_failed: '登录失败',
  read_refused: '越权查看被拒',
  export: '批量导出',
  'open311_client.create': '新建 Open311 接入方',
  'open311_client.revoke': '吊销 Open311 接入方',
  'open311_subscription.create': '新建 Open311 订阅',
  'open311_subscription.revoke': '取消 Open311 订阅',
};

/** An audit action in words (the name itself when unknown). */
export function auditActionLabel(action: string): string {
  return CONFIG_ACTION_LABELS[action] ?? ACTION_LABELS[action] ?? action;
}

/** Every action the audit filter offers, labelled. */
export function auditActionOptions(): { value: string; label: string }[] {
  return [...Object.entries(CONFIG_ACTION_LABELS), ...Object.entries(ACTION_LABELS)].map(([value, label]) => ({ value, label }));
}

/** A time limit as a policy states it. */
export interface Limit {
  readonly unit: 'working_days' | 'hours' | 'days';
  readonly amount: number;
}

const LIMIT_UNITS = { working_days: '个工作日', hours: '小时', days: '天' } as const;
export const LIMIT_UNIT_LABELS = { working_days: '工作日', hours: '小时', days: '自然日' } as const;

/** A limit in words: 5个工作日, 24小时, 60天, 30分钟. */
export function formatLimit(limit: Limit): string {
  if (limit.unit === 'hours' && limit.amount < 1) return `${Math.round(limit.amount * 60)}分钟`;
  return `${limit.amount}${LIMIT_UNITS[limit.unit]}`;
}
