import { createRouter, createWebHistory, type Router } from 'vue-router';
import { ADMIN_ROUTES } from './admin-routes.ts';
import { centreRoutes } from './centre-routes.ts';
import { dropPrefetched } from './composables/prefetch.ts';
import { homeOf, useSessionStore, type StaffUser } from './stores/session.ts';

type Role = StaffUser['role'];

declare module 'vue-router' {
  interface RouteMeta {
    /** Who may open the screen; absent: anyone signed in. */
    roles?: readonly Role[];
    title?: string;
  }
}

/** The console's routes under /console/ (history mode: every path is a real URL the server answers). */
export function createConsoleRouter(): Router {
  const router = createRouter({
    history: createWebHistory('/console/'),
    routes: [
      { path: '/', name: 'login', component: () => import('./views/LoginView.vue'), meta: { title: '登录' } },
      {
        path: '/',
        component: () => import('./components/AppShell.vue'),
        children: [
          { path: 'intake', name: 'intake', component: () => import('./views/IntakeView.vue'), meta: { roles: ['operator', 'supervisor', 'admin'], title: '受理台' } },
          { path: 'queue', name: 'queue', component: () => import('./views/QueueView.vue'), meta: { title: '工作台' } },
          { path: 'cases/:id', name: 'case', component: () => import('./views/CaseView.vue'), props: true, meta: { title: '工单详情' } },
          // --- centre: 派单中心, 监督, 回访 (centre-routes.ts) ---
          ...centreRoutes,
          // --- end centre ---
          // Administration: rules, policies, calendar, users, units, channels, audit (admin-routes.ts).
          ...ADMIN_ROUTES,
        ],
      },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  });

  router.beforeEach((to) => {
    const session = useSessionStore();
    const user = session.user;
    if (to.name === 'login') return user ? homeOf(user.role) : true;
    if (!user) return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
    if (to.meta.roles && !to.meta.roles.includes(user.role)) return homeOf(user.role);
    return true;
  });
  router.afterEach((to) => {
    document.title = `${to.meta.title ?? ''} · 12345 热线工作台`;
  });

  // Logout or an expired token: back to the login page at once, wherever the user was.
  useSessionStore().onEnd(() => {
    dropPrefetched();
    void router.replace({ name: 'login' });
  });
  return router;
}
