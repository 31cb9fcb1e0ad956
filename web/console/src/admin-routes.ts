import type { RouteRecordRaw } from 'vue-router';
import type { StaffUser } from './stores/session.ts';

type Role = StaffUser['role'];

interface AdminScreen {
  readonly path: string;
  readonly label: string;
  /** Who sees the screen; the centre reads where the API lets it, only admins change anything. */
  readonly roles: readonly Role[];
  readonly view: () => Promise<unknown>;
}

// Each screen is its own chunk: none of them weighs on the first load of the desk or the queue.
const SCREENS: readonly AdminScreen[] = [
  { path: 'rules', label: '分派规则', roles: ['admin', 'supervisor'], view: () => import('./views/admin/RulesView.vue') },
  { path: 'policies', label: '办理时限', roles: ['admin', 'supervisor'], view: () => import('./views/admin/PoliciesView.vue') },
  { path: 'calendar', label: '工作日历', roles: ['admin', 'supervisor'], view: () => import('./views/admin/CalendarView.vue') },
  { path: 'users', label: '用户管理', roles: ['admin'], view: () => import('./views/admin/UsersView.vue') },
  { path: 'units', label: '组织机构', roles: ['admin', 'supervisor'], view: () => import('./views/admin/UnitsView.vue') },
  { path: 'channels', label: '渠道设置', roles: ['admin'], view: () => import('./views/admin/ChannelsView.vue') },
  { path: 'audit', label: '审计日志', roles: ['admin', 'supervisor'], view: () => import('./views/admin/AuditView.vue') },
];

/** The administration screens' routes, children of the app shell. */
export const ADMIN_ROUTES: RouteRecordRaw[] = SCREENS.map((s) => ({ path: s.path, name: s.path, component: s.view, meta: { roles: s.roles, title: s.label } }));

/** The administration menu of a role (empty for roles that see none of it). */
export function adminMenu(role: Role | undefined): { path: string; label: string }[] {
  return SCREENS.filter((s) => role && s.roles.includes(role)).map((s) => ({ path: `/${s.path}`, label: s.label }));
}
