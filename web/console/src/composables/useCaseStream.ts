import { io, type Socket } from 'socket.io-client';
import { onBeforeUnmount, ref } from 'vue';
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

/**
 * The staff room on Socket.IO with the session's token, for as long as the calling component lives.
 * `connected` turns false while the socket is away; `onReconnect` lets the view fetch what it missed
 * (the API's guarantee: pushes are a convenience, REST is the record). A refused token ends the session.
 */
export function useCaseStream(handlers: Partial<Record<CaseStreamEvent, (payload: StaffCaseEvent) => void>>, onReconnect?: () => void) {
  const session = useSessionStore();
  const connected = ref(false);
  const socket: Socket = io({ path: '/socket.io', auth: { token: session.token }, transports: ['websocket'] });
  let seenBefore = false;
  socket.on('connect', () => {
    connected.value = true;
    if (seenBefore) onReconnect?.();
    seenBefore = true;
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
  for (const [name, handler] of Object.entries(handlers)) socket.on(name, handler);
  onBeforeUnmount(() => socket.disconnect());
  return { connected };
}
