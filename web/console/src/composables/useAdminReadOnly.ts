import { computed, type ComputedRef } from 'vue';
import { useSessionStore } from '../stores/session.ts';

/**
 * Whether the signed-in staff member is an admin, who may open the desk and the centre's screens
 * but not act on cases: the API leaves registering, dispatching, extensions and return visits to
 * the operators and the centre's supervisors.
 */
export function useAdminReadOnly(): ComputedRef<boolean> {
  const session = useSessionStore();
  return computed(() => session.user?.role === 'admin');
}
