import { anyProvisional, OPEN_STATUSES, overdueFlags, type CaseEvent, type CaseRecord } from '../../models/cases/case.js';
import { presentPetition } from '../cases/petition.presenter.js';
import { pauseReason } from '../../models/procedures/procedure-state.js';
import { ACTION_LABELS, CHANNEL_LABELS, STATUS_LABELS, TYPE_LABELS } from '../cases/labels.js';
import { deIdentifyOptional, maskName, maskPhone, type DeIdentifyOptions } from '../../models/privacy/de-identify.js';

/** The citizen's de-identified view of a case: no ids, no contact details, no internal notes. */
export function presentPublicCase(record: CaseRecord, events: readonly CaseEvent[], divisionName: string | null): Record<string, unknown> {
  const own: DeIdentifyOptions = { citizenName: record.citizen.name };
  return {
    caseNo: record.caseNo,
    channel: record.channel,
    channelLabel: CHANNEL_LABELS[record.channel],
    type: record.type,
    typeLabel: TYPE_LABELS[record.type],
    category: record.category,
    title: deIdentifyOptional(record.title, own),
    content: deIdentifyOptional(record.content, own),
    division: record.divisionCode ? { code: record.divisionCode, name: divisionName } : null,
    citizen: { name: maskName(record.citizen.name), phone: maskPhone(record.citizen.phone) },
    status: record.status,
    statusLabel: STATUS_LABELS[record.status],
    assignedUnit: record.assignedUnit,
    deadlines: presentPublicDeadlines(record),
    reply: deIdentifyOptional(record.reply, own),
    rating: record.rating ? { satisfaction: record.rating.satisfaction, at: record.rating.at } : null,
    reopenCount: record.reopenCount,
    disclosure: record.disclosure,
    petition: presentPetition(record),
    canChase: OPEN_STATUSES.includes(record.status),
    canRate: record.status === 'replied',
    repliedAt: record.repliedAt?.toISOString() ?? null,
    receivedAt: record.receivedAt.toISOString(),
    events: events.filter((e) => e.public).map((e) => presentPublicEvent(e, own)),
  };
}

/** The deadlines a citizen sees: when the unit must accept and answer, and whether it is late. */
function presentPublicDeadlines(record: CaseRecord, now = new Date()): Record<string, unknown> {
  const overdue = overdueFlags(record, now);
  return {
    acceptBy: record.deadlines.acceptBy?.toISOString() ?? null,
    replyBy: record.deadlines.replyBy?.toISOString() ?? null,
    overdue: overdue.accept || overdue.reply,
    paused: record.deadlines.pausedAt !== null,
    // Why the clock stands still (补正, or a third party's view), never who the third party is.
    pauseReason: pauseReason(record.procedures, record.deadlines.pausedAt),
    // Until when the third party consulted may answer: the applicant is told the clock stands still that long at most.
    thirdPartyAnswerBy: record.deadlines.thirdPartyBy?.toISOString() ?? null,
    provisional: anyProvisional(record.deadlines),
  };
}

/** A public timeline entry: what happened and when, never who inside the unit did it; the note de-identified. */
export function presentPublicEvent(event: CaseEvent, own: DeIdentifyOptions = {}): Record<string, unknown> {
  return {
    id: event.id,
    action: event.action,
    label: ACTION_LABELS[event.action] ?? event.action,
    status: event.toStatus,
    statusLabel: STATUS_LABELS[event.toStatus],
    note: deIdentifyOptional(event.note, own),
    at: event.createdAt.toISOString(),
  };
}
