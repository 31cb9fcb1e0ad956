import { anyProvisional, overdueFlags, type CaseEvent, type CaseRecord } from '../../models/cases/case.js';
import { pauseReason } from '../../models/procedures/procedure-state.js';
import { CHANNEL_LABELS, STATUS_LABELS, TYPE_LABELS } from './labels.js';
import type { StaffPrincipal } from '../auth/token.js';
import { presentPetition } from './petition.presenter.js';

/** Who sees the query code: the citizen's only key to the case, and what a rating needs. */
export interface CaseViewOptions {
  /** The intake response (the operator reads it to the caller) and the centre's supervisors; never unit staff. */
  readonly withQueryCode?: boolean;
}

/** Whether this staff member may see query codes: the centre only (issue 11 item 5). */
export const seesQueryCodes = (user: StaffPrincipal | undefined): boolean => user?.role === 'supervisor';

/** The staff view of a case: everything, including the citizen's contact details; the query code only where allowed. */
export function presentCase(record: CaseRecord, events?: readonly CaseEvent[], options: CaseViewOptions = {}): Record<string, unknown> {
  return {
    id: record.id,
    caseNo: record.caseNo,
    ...(options.withQueryCode ? { queryCode: record.queryCode } : {}),
    channel: record.channel,
    channelLabel: CHANNEL_LABELS[record.channel],
    externalId: record.externalId,
    type: record.type,
    typeLabel: TYPE_LABELS[record.type],
    category: record.category,
    title: record.title,
    content: record.content,
    address: record.address,
    divisionCode: record.divisionCode,
    division: record.division,
    citizen: record.citizen,
    urgency: record.urgency,
    status: record.status,
    statusLabel: STATUS_LABELS[record.status],
    assignedUnit: record.assignedUnit,
    coUnits: record.coUnits,
    deadlines: presentDeadlines(record),
    escalatedTo: record.escalatedTo,
    reply: record.reply,
    repliedAt: record.repliedAt?.toISOString() ?? null,
    rating: record.rating,
    disclosure: record.disclosure,
    procedures: record.procedures,
    mergedInto: record.mergedInto,
    receivedByUnit: record.receivedByUnit,
    reviewRequestedAt: record.reviewRequestedAt?.toISOString() ?? null,
    petition: record.type === 'petition' ? { ...presentPetition(record), concludedCaseId: record.petition.concludedCaseId } : null,
    routing: record.routing,
    receivedAt: record.receivedAt.toISOString(),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    reopenCount: record.reopenCount,
    supervised: record.supervised,
    version: record.version,
    ...(events ? { events: events.map(presentEvent) } : {}),
  };
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/** A case's deadlines as staff see them: due times, warnings, flags, extensions and the policy used. */
export function presentDeadlines(record: CaseRecord, now = new Date()): Record<string, unknown> {
  const d = record.deadlines;
  const overdue = overdueFlags(record, now);
  return {
    acceptBy: iso(d.acceptBy),
    replyBy: iso(d.replyBy),
    acceptWarnAt: iso(d.acceptWarnAt),
    replyWarnAt: iso(d.replyWarnAt),
    acceptOverdue: overdue.accept,
    replyOverdue: overdue.reply,
    overdue: overdue.accept || overdue.reply,
    acceptProvisional: d.acceptProvisional,
    replyProvisional: d.replyProvisional,
    thirdPartyProvisional: d.thirdPartyProvisional,
    arbitrateProvisional: d.arbitrateProvisional,
    provisional: anyProvisional(d),
    paused: d.pausedAt !== null,
    pausedAt: iso(d.pausedAt),
    pauseReason: pauseReason(record.procedures, d.pausedAt),
    arbitrateBy: iso(d.arbitrateBy),
    // A third party consulted answers by then (art. 32); overdue once the time passed without its view.
    thirdPartyAnswerBy: iso(d.thirdPartyBy),
    thirdPartyOverdue: d.thirdPartyBy !== null && (d.thirdPartyOverdueAt !== null || d.thirdPartyBy <= now),
    pendingExtension: d.pendingExtension,
    extensions: d.extensions,
    policy: d.policy,
    version: d.version,
  };
}

/** A timeline entry as staff see it. */
export function presentEvent(event: CaseEvent): Record<string, unknown> {
  return {
    id: event.id,
    action: event.action,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    actor: { id: event.actorId, role: event.actorRole, unitCode: event.actorUnit },
    unitCode: event.unitCode,
    note: event.note,
    data: event.data,
    public: event.public,
    at: event.createdAt.toISOString(),
  };
}
