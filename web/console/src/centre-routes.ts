import type { RouteRecordRaw } from 'vue-router';
import type { StaffUser } from './stores/session.ts';

type Role = StaffUser['role'];

const CENTRE: readonly Role[] = ['supervisor', 'admin'];

/** The centre's screens (派单中心, 监督, 回访), children of the app shell. */
export const centreRoutes: RouteRecordRaw[] = [
  { path: 'manual', name: 'manual', component: () => import('./views/ManualView.vue'), meta: { roles: CENTRE, title: '派单中心' } },
  { path: 'dashboard', name: 'dashboard', component: () => import('./views/DashboardView.vue'), meta: { roles: [...CENTRE, 'handler'], title: '监督' } },
  { path: 'visits', name: 'visits', component: () => import('./views/VisitsView.vue'), meta: { roles: CENTRE, title: '回访' } },
];

/** Their menu entries for a role, in menu order. */
export function centreMenu(role: Role | undefined): { path: string; label: string }[] {
  if (!role) return [];
  return centreRoutes
    .filter((r) => r.meta?.roles?.includes(role))
    .map((r) => ({ path: `/${r.path}`, label: r.meta?.title ?? r.path }));
}
