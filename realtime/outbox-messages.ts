import { presentEvent } from '../api/cases/case.presenter.js';
import { STATUS_LABELS } from '../api/cases/labels.js';
import { presentPublicEvent } from '../api/public/public-case.presenter.js';
import type { CaseEvent } from '../models/cases/case.js';
import type { UnitDirectory } from '../models/org/unit-directory.js';
import { TOPIC_EVENTS, type PublicCaseEvent, type CaseEventName, type ServerToClientEvents, type StaffCaseEvent, type UnitRef } from './events.js';
import { caseRoom, CENTRE_ROOM, unitChainRooms } from './rooms.js';

/** One outbox row with what the relay loaded for it. */
export interface OutboxMessage {
  readonly outboxId: number;
  readonly topic: string;
  readonly caseId: string;
  readonly caseNo: string;
  /** The case's co-handling units now: events carry the assigned unit, not the co-units. */
  readonly coUnits: readonly string[];
  /** The citizen's own name, masked wherever a public note names them. */
  readonly citizenName: string | null;
  readonly event: CaseEvent;
}

/** Where emissions go: `io.to(rooms).emit(name, payload)` in the relay, a recorder in tests. */
export type EmitSink = <E extends CaseEventName>(rooms: readonly string[], name: E, payload: Parameters<ServerToClientEvents[E]>[0]) => void;

function unitRef(units: UnitDirectory, code: string | null): UnitRef | null {
  return code ? { code, name: units.get(code)?.name ?? code } : null;
}

/**
 * Turns one committed outbox row into socket events. Every row: `case:update` in the staff form to
 * the centre and the rooms of the units holding the case (see unitChainRooms), and, for a public
 * event, in the citizen's form to the case's room. Some topics add an event of their own
 * (TOPIC_EVENTS). Status and unit are those the event left, so a batch holding a case's dispatch
 * and its forward tells each unit what it saw at the time.
 */
export function emitOutboxMessage(message: OutboxMessage, units: UnitDirectory, sink: EmitSink): void {
  // No rooms must mean no emit: Socket.IO reads an empty room list as every socket.
  const emit: EmitSink = (rooms, name, payload) => {
    if (rooms.length > 0) sink(rooms, name, payload);
  };
  const { event } = message;
  const assignedUnit = unitRef(units, event.unitCode);
  const common = { caseNo: message.caseNo, status: event.toStatus, statusLabel: STATUS_LABELS[event.toStatus] ?? event.toStatus, assignedUnit };
  const staff: StaffCaseEvent = { caseId: message.caseId, ...common, event: presentEvent(event) };
  const holders = unitChainRooms(units, [event.unitCode, ...message.coUnits]);
  emit([CENTRE_ROOM, ...holders], 'case:update', staff);
  if (event.public) {
    // The citizen's form: no case id, actor, internal data or contact details; the note masked.
    const citizen: PublicCaseEvent = { ...common, event: presentPublicEvent(event, { citizenName: message.citizenName }) };
    emit([caseRoom(message.caseId)], 'case:update', citizen);
  }
  const extra = TOPIC_EVENTS[message.topic];
  if (!extra) return;
  if (extra.to === 'unit') {
    const newUnits = message.topic === 'case.dispatch' ? [event.unitCode, ...message.coUnits] : [event.unitCode];
    emit(unitChainRooms(units, newUnits), extra.event, staff);
    return;
  }
  // An escalation also tells the unit above that now supervises the case (an ancestor as the rules stand).
  const toUnit = typeof event.data.toUnit === 'string' ? event.data.toUnit : null;
  emit([CENTRE_ROOM, ...holders, ...unitChainRooms(units, [toUnit]).filter((r) => !holders.includes(r))], extra.event, staff);
}
