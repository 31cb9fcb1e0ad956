import type { StaffPrincipal } from '../api/auth/token.js';

/** A unit as events name it. */
export interface UnitRef {
  readonly code: string;
  readonly name: string;
}

/**
 * What staff receive about one committed timeline event: the case's status and unit as that event
 * left them (not as they are when the relay runs), and the event in the staff presenter's form.
 */
export interface StaffCaseEvent {
  readonly caseId: string;
  readonly caseNo: string;
  readonly status: string;
  readonly statusLabel: string;
  readonly assignedUnit: UnitRef | null;
  readonly event: Record<string, unknown>;
}

/** What a citizen tracking a case receives: de-identified, public events only, no ids but the case number and event id. */
export interface PublicCaseEvent {
  readonly caseNo: string;
  readonly status: string;
  readonly statusLabel: string;
  readonly assignedUnit: UnitRef | null;
  readonly event: Record<string, unknown>;
}

/** The error shape of a refused `track`, as the REST API writes errors. */
export interface TrackError {
  readonly code: 'validation_failed' | 'not_found' | 'rate_limited' | 'conflict' | 'forbidden' | 'internal';
  readonly message: string;
  readonly details?: readonly { path: string; message: string }[];
}

/** The answer to `track`: the public case view on success. */
export type TrackAck = { readonly ok: true; readonly case: Record<string, unknown> } | { readonly ok: false; readonly error: TrackError };

/**
 * Server-to-client events: the one place their names live. `case:update` carries the staff form in
 * staff rooms and the public form in a case's room; a socket is in one kind of room only.
 */
export interface ServerToClientEvents {
  /**
   * Sent once to each new session, through the adapter's stream: Socket.IO's connection-state
   * recovery needs the client to hold a stream offset, which only an event gives it
   * (socketio/socket.io#4888); a session that heard nothing else could not be recovered.
   */
  ready: (payload: { readonly role: string }) => void;
  'case:assigned': (payload: StaffCaseEvent) => void;
  'case:update': (payload: StaffCaseEvent | PublicCaseEvent) => void;
  'case:deadline-warning': (payload: StaffCaseEvent) => void;
  'case:overdue': (payload: StaffCaseEvent) => void;
  'case:escalated': (payload: StaffCaseEvent) => void;
  /** A term rising past its threshold (舆情 early warning), to the centre's room only. */
  'centre:hot-topic': (payload: Readonly<Record<string, unknown>>) => void;
  /** A case locked after too many wrong query codes (someone guessing), to the centre's room only. */
  'centre:query-code-guessing': (payload: Readonly<Record<string, unknown>>) => void;
}

export type ServerEventName = keyof ServerToClientEvents;

/** The events that carry a case's news (all but the session's `ready` and the centre's warnings). */
export type CaseEventName = Exclude<ServerEventName, 'ready' | CentreEventName>;

/** Outbox topics of no case's timeline that go to the centre's room, and their socket events. */
export const CENTRE_TOPICS = {
  'centre.hot-topic': 'centre:hot-topic',
  'centre.query-code-guessing': 'centre:query-code-guessing',
} as const;

/** The centre's warnings. */
export type CentreEventName = (typeof CENTRE_TOPICS)[keyof typeof CENTRE_TOPICS];

/** Whether an outbox topic is one of the centre's warnings. */
export function isCentreTopic(topic: string): topic is keyof typeof CENTRE_TOPICS {
  return Object.hasOwn(CENTRE_TOPICS, topic);
}

/** Client-to-server events. The payload is unknown until Joi has checked it. */
export interface ClientToServerEvents {
  track: (payload: unknown, ack: (result: TrackAck) => void) => void;
}

/** Nothing is sent between servers besides what the adapter itself sends. */
export type InterServerEvents = Record<string, never>;

/** What a socket carries; restored with the socket by connection-state recovery. */
export interface SocketData {
  /** Set for staff connections (a verified access token); absent for citizens. */
  principal?: StaffPrincipal;
  /** When the staff token ends (unix seconds): the socket is cut then. */
  expiresAt?: number;
  /** Ids of the cases this citizen socket tracks. */
  tracked?: string[];
}

/**
 * Outbox topics that raise an event beside `case:update`, and where it goes. `unit`: the unit the
 * case now belongs to (a new assignment for its queue); `staff`: every staff room of the case.
 */
export const TOPIC_EVENTS: Readonly<Record<string, { readonly event: Exclude<CaseEventName, 'case:update'>; readonly to: 'unit' | 'staff' }>> = {
  'case.dispatch': { event: 'case:assigned', to: 'unit' },
  'case.forward': { event: 'case:assigned', to: 'unit' },
  // A reopened case goes back onto the queue of the unit that replied.
  'case.reopen': { event: 'case:assigned', to: 'unit' },
  // 复查 and 复核 put the case on the queue of the petitions office one level up.
  'case.review': { event: 'case:assigned', to: 'unit' },
  'case.re_review': { event: 'case:assigned', to: 'unit' },
  'case.deadline-warning': { event: 'case:deadline-warning', to: 'staff' },
  'case.overdue': { event: 'case:overdue', to: 'staff' },
  'case.escalated': { event: 'case:escalated', to: 'staff' },
};
