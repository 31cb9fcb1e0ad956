import { io, type Socket } from 'socket.io-client';
import { inject, onBeforeUnmount, provide, ref, type InjectionKey, type Ref } from 'vue';
import { useSessionStore } from '../stores/session.ts';

/** What a staff room pushes about one committed timeline event (realtime/events.ts, StaffCaseEvent). */
export interface StaffCaseEvent {
  readonly caseId: string;
  readonly caseNo: string;
  readonly status: string;
  readonly statusLabel: string;
  readonly assignedUnit: { code: string; name: string } | null;
  readonly event: { id: number; action: string; at: string };
}

export type CaseStreamEvent = 'case:assigned' | 'case:update' | 'case:deadline-warning' | 'case:overdue' | 'case:escalated';

interface CaseStream {
  readonly socket: Socket;
  readonly connected: Ref<boolean>;
  readonly catchUps: Set<() => void>;
}

const CASE_STREAM: InjectionKey<CaseStream> = Symbol('case stream');

/**
 * The staff room on Socket.IO with the session's token, held by the signed-in shell for every page
 * under it, the desk and the administration screens included: when an admin disables or changes the
 * account, the server cuts the socket, connecting again is refused, and whatever page is open ends
 * the session at once.
 */
export function provideCaseStream(): void {
  const session = useSessionStore();
  const connected = ref(false);
  const catchUps = new Set<() => void>();
  const socket: Socket = io({ path: '/socket.io', auth: { token: session.token }, transports: ['websocket'] });
  // The first connection catches up too: a view fetches its list as it mounts, often before the
  // socket has joined its rooms, and a case pushed in between would otherwise wait for a reload.
  socket.on('connect', () => {
    connected.value = true;
    for (const fetchMissed of catchUps) fetchMissed();
  });
  socket.on('disconnect', (reason) => {
    connected.value = false;
    // The server cut the socket: the token expired, or an admin disabled or changed the account.
    // Socket.IO does not reconnect by itself then; connecting again lets the server say which.
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    if (error.data?.code === 'unauthenticated') session.end(session.endReasonNow());
  });
  provide(CASE_STREAM, { socket, connected, catchUps });
  onBeforeUnmount(() => socket.disconnect());
}

/**
 * The shell's staff room for as long as the calling view lives: its handlers, and `catchUp`
 * to fetch what it missed before the socket joined or while it was away (pushes are a convenience,
 * REST is the record).
 */
export function useCaseStream(handlers: Partial<Record<CaseStreamEvent, (payload: StaffCaseEvent) => void>>, catchUp?: () => void) {
  const stream = inject(CASE_STREAM);
  if (!stream) throw new Error('useCaseStream needs the signed-in shell (AppShell) above the view');
  const { socket, connected, catchUps } = stream;
  for (const [name, handler] of Object.entries(handlers)) socket.on(name, handler);
  if (catchUp) catchUps.add(catchUp);
  onBeforeUnmount(() => {
    for (const [name, handler] of Object.entries(handlers)) socket.off(name, handler);
    if (catchUp) catchUps.delete(catchUp);
  });
  return { connected };
}
