import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerEventName, ServerToClientEvents, TrackAck } from '../../realtime/events.js';
import { harness } from '../support/harness.js';
import { act, createStaff, type Staff } from '../support/factories.js';
import { freshIp } from '../support/http.js';

export { act };

/** A socket.io-client socket speaking this API's events. */
export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const open: ClientSocket[] = [];

/** Options of one test connection. */
export interface ConnectOptions {
  readonly token?: unknown;
  /** The client address the API sees (X-Forwarded-For, trusted from loopback); a fresh one by default. */
  readonly ip?: string;
  /** Another API process's URL; the harness's by default. */
  readonly url?: string;
  readonly reconnection?: boolean;
}

/**
 * Opens a real connection and waits for the server's `ready` (the socket is in its rooms by then);
 * rejects with the server's connect error.
 */
export async function connect(options: ConnectOptions = {}): Promise<ClientSocket> {
  const socket: ClientSocket = io(options.url ?? harness().baseUrl, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: options.reconnection ?? false,
    auth: options.token === undefined ? {} : { token: options.token },
    extraHeaders: { 'x-forwarded-for': options.ip ?? freshIp() },
  });
  open.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('ready', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return socket;
}

/** Closes every socket the test opened (afterEach). */
export function closeAllSockets(): void {
  for (const socket of open.splice(0)) socket.disconnect();
}

/** Every payload of one event that reaches the socket, in order of arrival. */
export function collect<E extends ServerEventName>(socket: ClientSocket, name: E): Parameters<ServerToClientEvents[E]>[0][] {
  const received: Parameters<ServerToClientEvents[E]>[0][] = [];
  // Connection-state recovery appends the stream offset as a last argument: only the first matters.
  const listener = ((payload: Parameters<ServerToClientEvents[E]>[0]) => {
    received.push(payload);
  }) as ServerToClientEvents[E];
  (socket.on as (event: E, listener: ServerToClientEvents[E]) => ClientSocket)(name, listener);
  return received;
}

/** Sends `track` and waits for the ack. */
export function track(socket: ClientSocket, payload: unknown): Promise<TrackAck> {
  return socket.timeout(5_000).emitWithAck('track', payload);
}

/** Waits until `condition` holds, checking every 20 ms; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Settles as `promise` does, or rejects naming `what` once `timeoutMs` has passed: a bound, not a wait. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until the relay has published every outbox row of the case. */
export async function waitForPublished(caseId: string): Promise<void> {
  await waitFor(async () => {
    const { rows } = await harness().pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE case_id = $1 AND published_at IS NULL', [caseId]);
    return rows[0]?.n === 0;
  }, 5_000, `the outbox of case ${caseId} to be published`);
}

/** The case's timeline ids, from the database, in order. */
export async function eventIds(caseId: string, publicOnly: boolean): Promise<number[]> {
  const { rows } = await harness().pool.query<{ id: number }>('SELECT id FROM case_events WHERE case_id = $1 AND ($2::boolean IS FALSE OR public) ORDER BY id', [caseId, publicOnly]);
  return rows.map((r) => r.id);
}

/*
 * Markers: how a test shows that a socket heard nothing more, without sleeping. The relay emits a
 * case's outbox rows in id order (commit order) through the adapter's stream, only after every
 * earlier row of the case is published; every API process delivers the stream to its sockets in
 * stream order, and one connection delivers in the order its process sent. So an event committed
 * after an unwanted one, and heard by the same socket, arrives after the unwanted one would have:
 * once the marker is heard, what came before it is everything. For a marker on another case (or a
 * warning of no case), the unwanted rows must be published first (waitForPublished, or a socket
 * that heard them): the relay appends its emits to the stream before it marks rows published, so
 * any emit of a row committed later lands later in the stream.
 */

// One account for every marker of a run: an account costs a password hash.
let markingSupervisor: Promise<Staff> | undefined;

/**
 * Supervises the case (督办) as a marker: a public event, heard in the case's room and in every
 * staff room of the case, that changes neither its status nor its unit. Returns its event id.
 */
export async function markCase(caseId: string): Promise<number> {
  markingSupervisor ??= createStaff('supervisor');
  await act(caseId, (await markingSupervisor).token, { action: 'supervise', note: '测试标记：请加快办理' });
  const { rows } = await harness().pool.query<{ id: number }>(`SELECT max(id)::int AS id FROM case_events WHERE case_id = $1 AND action = 'supervise'`, [caseId]);
  const id = rows[0]?.id;
  if (!id) throw new Error(`no supervise event on case ${caseId}`);
  return id;
}

/** Waits until the events a socket collected include the marker event `id`. */
export async function waitForMark(received: readonly { event: Record<string, unknown> }[], id: number, what = 'the marker'): Promise<void> {
  await waitFor(() => received.some((u) => Number(u.event.id) === id), 10_000, what);
}
