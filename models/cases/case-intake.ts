import crypto from 'node:crypto';
import { badRequest, conflict } from '../../errors.js';
import type { Queryable } from '../../infra/db.js';
import type { Actor, CaseRecord, CaseType, Channel, Citizen, DivisionInfo, Urgency } from './case.js';
import type { RoutingDecision } from '../../routing-rules/engine.js';
import type { RoutingCaseInput } from '../../routing-rules/rule.js';
import { findCaseByExternalId, findCaseByIdempotencyKey, insertRegisteredCase, type IntakeDeadlines, type IntakeDispatch } from './case.repository.js';
import type { TimeLimits } from '../time-limits/time-limits.js';
import { assertMayRegister } from './case-writer.js';
import { withoutContactDetails } from '../privacy/de-identify.js';
import { findConcludedMatter, type ConcludedMatter } from '../petitions/concluded-matters.js';

const CITY_PETITIONS_OFFICE = '3713-petitions';

/** A request as it arrives from any channel, already validated at the edge. */
export interface IntakeInput {
  readonly channel: Channel;
  readonly type: CaseType;
  readonly category?: string;
  readonly title?: string;
  readonly content: string;
  readonly address?: string;
  readonly divisionCode?: string;
  readonly urgency?: Urgency;
  readonly receivedAt?: Date;
  /** Why a receipt time more than RECEIVED_AT_LIMIT_DAYS back is right; recorded on the register event. */
  readonly receivedAtReason?: string;
  readonly externalId?: string;
  readonly citizen: Citizen;
  /** The unit the operator chose over the rules' decision: recorded as the operator's manual dispatch. */
  readonly dispatchTo?: string;
  /** 当场答复: the desk answered the request itself; the case is closed at intake and never dispatched. */
  readonly resolution?: DirectAnswer;
  /** Co-handling units (协办) of the dispatch at intake; they see the case beside the lead unit. */
  readonly coUnits?: readonly string[];
}

/** An answer given at the desk, and the knowledge-base articles it rests on. */
export interface DirectAnswer {
  readonly kind: 'direct_answer';
  readonly answer: string;
  readonly knowledgeIds: readonly string[];
}

/** How far back a receipt time may be set without a recorded reason. */
export const RECEIVED_AT_LIMIT_DAYS = 30;

/**
 * A receipt time far back shortens every deadline and can make a case overdue on arrival: it needs
 * a reason, kept on the register event for the audit trail.
 */
export function assertReceivedAtReason(input: IntakeInput, now: Date): void {
  if (!input.receivedAt || input.receivedAtReason) return;
  if (now.getTime() - input.receivedAt.getTime() > RECEIVED_AT_LIMIT_DAYS * 86_400_000) {
    throw badRequest(`A receipt time more than ${RECEIVED_AT_LIMIT_DAYS} days back needs receivedAtReason`, [
      { path: 'body.receivedAtReason', message: `required when receivedAt is more than ${RECEIVED_AT_LIMIT_DAYS} days back` },
    ]);
  }
}

/** Where a piece of text or a division code puts a case. */
export interface Placement {
  readonly countyCode: string | null;
  readonly townshipCode: string | null;
  readonly explanation: string;
  readonly ambiguous?: readonly { code: string; name: string; countyCode: string }[];
}

/** The gazetteer as intake needs it: free text to a place, and a code checked against the tree. */
export interface DivisionLocator {
  locateText(text: string): Placement;
  locateCode(code: string): Placement | undefined;
}

/** Routes a case by the rules in force; the decision records the rule-set version it came from. */
export type CaseRouter = (input: RoutingCaseInput) => RoutingDecision & { readonly rulesVersion: number };

/** What intake needs beyond the database: where the case is, and where the rules send it. */
export interface IntakeDeps {
  readonly locator: DivisionLocator;
  readonly route: CaseRouter;
  readonly unitName: (code: string) => string | undefined;
  readonly timeLimits: TimeLimits;
  /** The database clock: deadlines count from it, not from this host. */
  readonly now: () => Date;
}

/** Options of one intake: the caller's idempotency key and the first event's note. */
export interface IntakeOptions {
  readonly idempotencyKey?: string;
  readonly note: string;
}

/** The result of an intake: the case, and whether this call created it or found it already there. */
export interface IntakeResult {
  readonly record: CaseRecord;
  readonly created: boolean;
}

/** A 6-digit query code from a cryptographic source: the citizen's only key to the case. */
export function newQueryCode(): string {
  return String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
}

/** A stable hash of the request (keys sorted at every level), to tell a retry from a new request. */
export function intakeFingerprint(input: IntakeInput): string {
  const canonical = (value: unknown): unknown => {
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map(canonical);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  };
  return crypto.createHash('sha256').update(JSON.stringify(canonical(input))).digest('base64url');
}

/** Works out the case's division: an explicit code wins over the address, the address over the text. */
export function placeCase(input: IntakeInput, locator: DivisionLocator): { divisionCode: string | null; division: DivisionInfo } {
  if (input.divisionCode) {
    const placed = locator.locateCode(input.divisionCode);
    if (!placed) throw badRequest('Unknown division code', [{ path: 'body.divisionCode', message: `"${input.divisionCode}" is not a county or township of this city` }]);
    return { divisionCode: placed.townshipCode ?? placed.countyCode, division: { ...placed, source: 'explicit' } };
  }
  const candidates = [input.address, `${input.title ?? ''} ${input.content}`].filter((t): t is string => Boolean(t?.trim()));
  for (const text of candidates) {
    const placed = locator.locateText(text);
    if (placed.countyCode || placed.ambiguous?.length) {
      return { divisionCode: placed.townshipCode ?? placed.countyCode, division: { ...placed, source: 'address' } };
    }
  }
  return { divisionCode: null, division: { countyCode: null, townshipCode: null, source: 'none', explanation: 'no county or township named' } };
}

/**
 * Runs the rules on a case being taken in; a match dispatches it in the same transaction. The rules
 * read the text without its contact details and identity numbers: a phone number's digits or an
 * e-mail address naming a department never decide a route.
 */
export function routeCase(input: IntakeInput, placement: ReturnType<typeof placeCase>, deps: IntakeDeps): { routing: Record<string, unknown>; dispatch: IntakeDispatch | null } {
  const decision = deps.route({
    type: input.type,
    category: input.category ?? null,
    channel: input.channel,
    urgency: input.urgency ?? 'normal',
    title: input.title ? withoutContactDetails(input.title) : null,
    content: withoutContactDetails(input.content),
    divisionCode: placement.divisionCode,
    countyCode: placement.division.countyCode,
    townshipCode: placement.division.townshipCode,
  });
  const suggestions = decision.suggestions.map((s) => ({ ...s, confidence: Math.round(s.confidence * 1000) / 1000 }));
  const common = { rulesVersion: decision.rulesVersion, division: placement.division.explanation, nearMisses: decision.nearMisses, suggestions };
  const match = decision.matched;
  if (!match) {
    if (decision.kept) {
      const explanation = `the centre keeps such requests (${decision.kept}): the case waits in the manual dispatch queue with the suggestions`;
      return { routing: { source: null, ruleId: null, unitCode: null, kept: true, explanation, ...common }, dispatch: null };
    }
    if (decision.disputed) {
      const explanation = `the catalogue's words and its classifier disagree (${decision.disputed}): the case waits in the manual dispatch queue with the suggestions`;
      return { routing: { source: null, ruleId: null, unitCode: null, disputed: true, explanation, ...common }, dispatch: null };
    }
    const explanation = 'no rule, catalogue matter or learned lesson was sure enough: the case waits in the manual dispatch queue with the suggestions';
    return { routing: { source: null, ruleId: null, unitCode: null, explanation, ...common }, dispatch: null };
  }
  const unitName = deps.unitName(match.unitCode) ?? match.unitCode;
  return {
    routing: { source: match.source, ruleId: match.ruleId, ruleName: match.ruleName, unitCode: match.unitCode, explanation: match.explanation, matchedConditions: match.matchedConditions, ...common },
    dispatch: { unitCode: match.unitCode, note: `已派单至${unitName}`, data: { ruleId: match.ruleId, unitCode: match.unitCode } },
  };
}

/**
 * A petition repeating a concluded matter is not routed as a new case: it goes to the office that
 * answered the 复核, flagged and linked, and waits for its decision (accept_petition or reject_petition).
 */
export function concludedRouting(concluded: ConcludedMatter, deps: IntakeDeps): { routing: Record<string, unknown>; dispatch: IntakeDispatch | null } {
  const unitCode = concluded.unitCode && deps.unitName(concluded.unitCode) ? concluded.unitCode : CITY_PETITIONS_OFFICE;
  const unitName = deps.unitName(unitCode) ?? unitCode;
  const explanation = `the same petitioner's matter was concluded in case ${concluded.caseNo} (复核 answered; text similarity ${concluded.similarity}): the office that concluded it decides whether this is a new matter`;
  return {
    routing: { ruleId: null, unitCode, explanation, concluded },
    dispatch: { unitCode, note: `信访事项已终结（${concluded.caseNo}），转${unitName}决定是否受理`, data: { unitCode, instruction: `与已终结的信访事项${concluded.caseNo}相同` } },
  };
}

// The government microblog and WeChat accounts are run by the news office (@临沂发布); every other
// public channel is taken in by the 12345 centre, which also runs the mayor's mailbox.
const CHANNEL_RECEIVERS: Partial<Record<IntakeInput['channel'], string>> = { microblog: '3713-xinwen', wechat: '3713-xinwen' };

/** The operator's own choice of unit at intake; the rules' decision stays on the case as `routing`. */
export function manualDispatch(unitCode: string, ruleUnitCode: unknown, deps: IntakeDeps): IntakeDispatch {
  const unitName = deps.unitName(unitCode);
  if (!unitName) throw badRequest('Unknown unit', [{ path: 'body.dispatchTo', message: `no unit has the code "${unitCode}"` }]);
  return { unitCode, note: `人工派单至${unitName}`, data: { unitCode, manual: true, ruleUnitCode: typeof ruleUnitCode === 'string' ? ruleUnitCode : null }, manual: true };
}

/** A dispatch at intake with its co-handling units (the lead unit is never its own co-unit). */
function withCoUnits(dispatch: IntakeDispatch, coUnits: readonly string[], deps: IntakeDeps): IntakeDispatch {
  const co = [...new Set(coUnits)].filter((code) => code !== dispatch.unitCode);
  co.forEach((code, i) => {
    if (!deps.unitName(code)) throw badRequest('Unknown unit', [{ path: `body.coUnits.${i}`, message: `no unit has the code "${code}"` }]);
  });
  return co.length ? { ...dispatch, coUnits: co, data: { ...dispatch.data, coUnits: co } } : dispatch;
}

/** The unit that first received a request: the staff member's own unit, else the channel's owner. */
export function receivingUnit(channel: IntakeInput['channel'], actor: Actor): string {
  return actor.unitCode ?? CHANNEL_RECEIVERS[channel] ?? '3713-hotline';
}

/** The reply deadline from receipt, and the acceptance deadline when the rules dispatched the case. */
export function intakeDeadlines(timeLimits: TimeLimits, input: IntakeInput, receivedAt: Date, dispatchedAt: Date | null): IntakeDeadlines {
  const urgency = input.urgency ?? 'normal';
  const reply = timeLimits.replyDeadline(input.type, urgency, receivedAt);
  // 《信访工作条例》 arts. 22-23: whether a petition is accepted is decided within 15 days of its receipt.
  const acceptFrom = input.type === 'petition' ? receivedAt : dispatchedAt;
  const accept = dispatchedAt && acceptFrom ? timeLimits.acceptDeadline(input.type, urgency, acceptFrom) : null;
  return {
    replyBy: reply.due,
    replyWarnAt: reply.warnAt,
    acceptBy: accept?.due ?? null,
    acceptWarnAt: accept?.warnAt ?? null,
    replyProvisional: reply.provisional,
    acceptProvisional: accept?.provisional ?? false,
    policy: { reply: reply.basis, ...(accept ? { accept: accept.basis } : {}) },
  };
}

/**
 * Registers a request as a case in one transaction (case, first event, outbox row). A channel
 * message delivered again, or an intake retried with the same idempotency key, returns the case
 * already stored instead of a second one.
 */
export async function registerCase(db: Queryable, input: IntakeInput, actor: Actor, deps: IntakeDeps, options: IntakeOptions): Promise<IntakeResult> {
  assertReceivedAtReason(input, deps.now());
  const placement = placeCase(input, deps.locator);
  const fingerprint = intakeFingerprint(input);
  const concluded = input.type === 'petition' ? await findConcludedMatter(db, input.citizen.phone, input.title ?? null, input.content) : undefined;
  const { routing, dispatch: ruled } = concluded ? concludedRouting(concluded, deps) : routeCase(input, placement, deps);
  // A case answered at the desk keeps the rules' advice on record but goes to no unit.
  const lead = input.resolution ? null : input.dispatchTo ? manualDispatch(input.dispatchTo, routing.unitCode, deps) : ruled;
  const routed = lead && withCoUnits(lead, input.coUnits ?? [], deps);
  if (!routed && input.coUnits?.length) throw badRequest('Co-handling units need a lead unit', [{ path: 'body.coUnits', message: 'no rule dispatches this case: choose dispatchTo too' }]);
  assertMayRegister(actor, routed !== null);
  const now = deps.now();
  // A receipt time ahead of the database clock is clamped by the insert as well.
  const receivedAt = input.receivedAt && input.receivedAt < now ? input.receivedAt : now;
  const receivedBy = receivingUnit(input.channel, actor);
  const deadlines = intakeDeadlines(deps.timeLimits, input, receivedAt, routed ? now : null);
  // The dispatch event records the deadlines it started, as every later dispatch does, and that it
  // is the case's first (first-dispatch accuracy counts from it).
  const dispatch = routed && { ...routed, data: { ...routed.data, first: true, acceptBy: deadlines.acceptBy?.toISOString() ?? null, replyBy: deadlines.replyBy.toISOString() } };
  const inserted = await insertRegisteredCase(
    db,
    {
      queryCode: newQueryCode(),
      channel: input.channel,
      externalId: input.externalId ?? null,
      type: input.type,
      category: input.category ?? null,
      title: input.title ?? null,
      content: input.content,
      address: input.address ?? null,
      divisionCode: placement.divisionCode,
      division: placement.division,
      citizen: input.citizen,
      urgency: input.urgency ?? 'normal',
      receivedAt,
      idempotencyKey: options.idempotencyKey ?? null,
      intakeFingerprint: fingerprint,
      eventNote: options.note,
      eventData: { receivedBy, ...(input.receivedAtReason ? { receivedAtReason: input.receivedAtReason } : {}) },
      routing,
      dispatch,
      deadlines,
      receivedByUnit: receivedBy,
      concludedCaseId: concluded?.caseId ?? null,
    },
    actor,
  );
  if (inserted) return { record: inserted, created: true };
  const existing =
    (input.externalId ? await findCaseByExternalId(db, input.channel, input.externalId) : undefined) ??
    (options.idempotencyKey && actor.id ? await findCaseByIdempotencyKey(db, actor.id, options.idempotencyKey) : undefined);
  if (!existing) throw conflict('The case collided with another one being stored; try again');
  // A request differing in any field under a used key is a different request, not a retry.
  if (existing.intakeFingerprint !== fingerprint) {
    throw conflict('This idempotency key or message id was already used for a different request');
  }
  return { record: existing, created: false };
}
