import type { RouteRecordRaw } from 'vue-router';
import { useApi } from './composables/useApi.ts';
import { loadDashboardCharts } from './components/charts/dashboard-charts.ts';
import { openingRequests } from './logic/dashboard-requests.ts';
import { useSessionStore, type StaffUser } from './stores/session.ts';

type Role = StaffUser['role'];

const CENTRE: readonly Role[] = ['supervisor', 'admin'];

/** The centre's screens (派单中心, 监督, 回访), children of the app shell. */
export const centreRoutes: RouteRecordRaw[] = [
  { path: 'manual', name: 'manual', component: () => import('./views/ManualView.vue'), meta: { roles: CENTRE, title: '派单中心' } },
  {
    path: 'dashboard',
    name: 'dashboard',
    component: () => import('./views/DashboardView.vue'),
    meta: { roles: [...CENTRE, 'handler'], title: '监督' },
    // The figures are asked for, and the charts' code fetched, while the screen's code loads, not after it.
    beforeEnter: (to) => {
      const api = useApi();
      for (const path of openingRequests(to.query.period, useSessionStore().user, new Date())) api.prefetch(path);
      void loadDashboardCharts();
    },
  },
  { path: 'visits', name: 'visits', component: () => import('./views/VisitsView.vue'), meta: { roles: CENTRE, title: '回访' } },
];

/** Their menu entries for a role, in menu order. */
export function centreMenu(role: Role | undefined): { path: string; label: string }[] {
  if (!role) return [];
  return centreRoutes
    .filter((r) => r.meta?.roles?.includes(role))
    .map((r) => ({ path: `/${r.path}`, label: r.meta?.title ?? r.path }));
}
