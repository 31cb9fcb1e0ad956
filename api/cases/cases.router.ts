import { Router } from 'express';
import { badRequest, forbidden, notFound } from '../../errors.js';
import { registerCase } from '../../models/cases/case-intake.js';
import { registerDirectAnswer } from '../../models/cases/direct-answer.js';
import { listCases } from '../../models/cases/case-query.js';
import { listCaseEvents } from '../../models/cases/case.repository.js';
import { performAction } from '../../models/cases/case-actions.js';
import { recordPersonalDataExport, recordRefusedRead } from '../../models/accounts/audit.repository.js';
import { allowedActions } from '../../models/cases/case-permissions.js';
import type { CaseRecord } from '../../models/cases/case.js';
import type { StaffPrincipal } from '../auth/token.js';
import type { ApiContext } from '../context.js';
import { idParams } from '../http/common.schema.js';
import { limitRate, RATE_LIMITS } from '../http/rate-limit.js';
import { defineRoute } from '../http/route.js';
import { actionBody } from './actions.schema.js';
import { presentCase, presentEvent, seesQueryCodes } from './case.presenter.js';
import { STATUS_LABELS } from './labels.js';
import { workingDaysLeft } from './time-left.js';
import { caseEventsQuery, decodeCursor, encodeCursor, idempotencyKey, intakeBody, listCasesQuery } from './cases.schema.js';
import { findVisibleCase } from './visible-case.js';

/** POST /api/cases, GET /api/cases, GET /api/cases/{id}. */
export function casesRouter(ctx: ApiContext): Router {
  const router = Router();
  const staffRate = limitRate(ctx.redis, { ...RATE_LIMITS.staff, max: ctx.staffRateLimit });
  const withTimeLeft = (record: CaseRecord, presented: Record<string, unknown>): Record<string, unknown> => ({
    ...presented,
    workingDaysLeft: workingDaysLeft(record, ctx.timeLimits.calendar, ctx.clock.now()),
  });
  // One case as its screen needs it: the timeline, the time left and the buttons this user may press.
  const presentForUser = async (record: CaseRecord, user: StaffPrincipal): Promise<Record<string, unknown>> => ({
    ...withTimeLeft(record, presentCase(record, await listCaseEvents(ctx.pool, record.id, { publicOnly: false }), { withQueryCode: seesQueryCodes(user) })),
    allowedActions: allowedActions(user, record, ctx.units),
  });
  // A centre dispatch is a lesson for the learned routing model of every process; a lost
  // announcement is caught up by the periodic reload, so it never fails the request.
  const announceLesson = (): void => {
    void ctx.announceConfigChanged('routing-model').catch((error: unknown) => ctx.log.warn({ err: error }, 'announcing a dispatch to the routing model failed'));
  };

  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/cases',
    operationId: 'createCase',
    tag: 'cases',
    summary: 'Register a case taken by phone or in the back office',
    description:
      'Send an `Idempotency-Key` header so that a retried request returns the case already stored (200) instead of a second one. ' +
      "With `resolution: { kind: 'direct_answer', answer, knowledgeIds }` (当场答复) the case is registered and answered in one transaction: " +
      'closed at once, never dispatched, the answer on its timeline and in the citizen view. The cited articles must exist and be in force today (400).',
    access: ['operator', 'supervisor'],
    body: intakeBody,
    before: [staffRate],
    status: 201,
    responses: { 200: 'Case', 201: 'Case', 400: 'Error', 401: 'Error', 403: 'Error', 409: 'Error', 413: 'Error', 429: 'Error' },
    handler: async ({ body, user, req, res }) => {
      const header = req.get('Idempotency-Key');
      const key = header === undefined ? undefined : idempotencyKey.validate(header);
      if (key?.error) throw badRequest('Invalid Idempotency-Key header', [{ path: 'headers.idempotency-key', message: key.error.message }]);
      const actor = { id: user?.id ?? null, role: user?.role ?? 'operator', unitCode: user?.unitCode ?? null } as const;
      const options = { idempotencyKey: key?.value, note: '受理登记' };
      const { resolution } = body;
      const { record, created } = resolution
        ? await registerDirectAnswer(ctx.pool, { ...body, resolution }, actor, ctx.intake, options)
        : await registerCase(ctx.pool, body, actor, ctx.intake, options);
      // The operator's own choice of unit at intake is a centre dispatch too.
      if (created && body.dispatchTo) announceLesson();
      res.status(created ? 201 : 200).json(presentCase(record, undefined, { withQueryCode: true }));
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/cases',
    operationId: 'listCases',
    tag: 'cases',
    summary: 'List cases, newest first or sorted by `sort` (createdAt, receivedAt, acceptBy, replyBy) and `order`; a handler sees only its own unit and the units below it',
    access: 'staff',
    query: listCasesQuery,
    before: [staffRate],
    responses: { 200: 'CaseList', 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ query, user, req }) => {
      let unitCodes = query.unit ? ctx.units.subtree(query.unit) : undefined;
      if (user?.role === 'handler') {
        if (!user.unitCode) throw forbidden();
        if (query.unit && !ctx.units.isWithin(user.unitCode, query.unit)) {
          await recordRefusedRead(ctx.pool, { actorId: user.id, subjectType: 'personal_data', subjectId: `cases of unit ${query.unit}`, path: req.originalUrl });
          throw forbidden('That unit is outside your own');
        }
        unitCodes ??= ctx.units.subtree(user.unitCode);
      }
      const sort = { key: query.sort, direction: query.order };
      const cursor = query.cursor ? decodeCursor(query.cursor, sort) : undefined;
      if (query.cursor && !cursor) throw badRequest('Invalid cursor', [{ path: 'query.cursor', message: 'not a cursor from this API for this sort order' }]);
      const page = await listCases(ctx.pool, {
        status: query.status,
        unitCodes,
        unassigned: user?.role === 'handler' ? false : query.unassigned,
        channel: query.channel,
        type: query.type,
        divisionPrefix: query.division,
        q: query.q,
        phone: query.phone,
        overdue: query.overdue,
        receivedFrom: query.from,
        receivedTo: query.to,
        limit: query.limit,
        sort,
        cursor,
      });
      // Each page carries the citizens' contact details: it is answered only once its export is on record.
      await recordPersonalDataExport(ctx.pool, { actorId: user?.id ?? null, what: 'cases', filters: { ...query }, caseIds: page.items.map((r) => r.id) });
      return { items: page.items.map((r) => withTimeLeft(r, presentCase(r, undefined, { withQueryCode: seesQueryCodes(user) }))), nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null };
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/cases/{id}',
    operationId: 'getCase',
    tag: 'cases',
    summary: 'One case with its whole timeline',
    access: 'staff',
    params: idParams,
    before: [staffRate],
    responses: { 200: 'Case', 400: 'Error', 401: 'Error', 404: 'Error' },
    handler: async ({ params, user, req }) => {
      if (!user) throw notFound('Case');
      const record = await findVisibleCase(ctx, params.id, user, req.originalUrl);
      return presentForUser(record, user);
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/cases/{id}/actions',
    operationId: 'performCaseAction',
    tag: 'cases',
    summary: 'Take an action on a case: dispatch, accept (签收), forward (下派), return (退单), extensions (延期), 补正, reply (答复), third-party consultation, disputes and rating appeals',
    description:
      'One transaction: the case, its timeline event and the outbox row. An action the current status does not allow answers 409, ' +
      'one this user may not take answers 403, and nothing changes. Pass `expectedVersion` to refuse the action if the case moved.\n\n' +
      'Disclosure requests: `request_third_party_opinion { party, reason }` stops the reply clock (《政府信息公开条例》 art. 32; the third party has 15 working days), ' +
      '`third_party_opinion_received { agreed, note? }` starts it again with the days left; a reply disclosing against the third party carries `publicInterest`. ' +
      'The third party\'s answer is a deadline (`deadlines.thirdPartyAnswerBy`, with a warning and an overdue); once it has passed, `third_party_no_answer { note? }` starts the clock again without its view (art. 32: 第三方逾期未提出意见的，由行政机关依照本条例的规定决定是否公开). ' +
      'A disclosure request\'s extension is approved or rejected only by the head of the disclosure office holding it (`disclosureHead`, art. 33; anyone else 403); other cases\' by a supervisor. ' +
      'Jurisdiction: `dispute_dispatch { reason, suggestedUnitCode? }` by the assigned unit, `arbitrate_dispute { unitCode, reason }` by a supervisor within 5 working days; ' +
      'the unit named can no longer return the case (409 `arbitrated`). Ratings: `appeal_rating { reason }` by the unit within 5 working days of a dissatisfied rating, ' +
      '`decide_rating_appeal { upheld, reason }` by a supervisor; an upheld appeal takes the rating out of the satisfaction rate (`ratingsExcluded`). ' +
      'Of two decisions racing on one dispute or appeal, the second answers 409.',
    access: 'staff',
    params: idParams,
    body: actionBody,
    before: [staffRate],
    responses: { 200: 'Case', 400: 'Error', 401: 'Error', 403: 'Error', 404: 'Error', 409: 'Error' },
    handler: async ({ params, body, user }) => {
      if (!user) throw notFound('Case');
      const record = await performAction(ctx.pool, params.id, body, user, { units: ctx.units, timeLimits: ctx.timeLimits, now: ctx.clock.now });
      if (body.action === 'dispatch') announceLesson();
      return presentForUser(record, user);
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/cases/{id}/events',
    operationId: 'listCaseEvents',
    tag: 'cases',
    summary: 'Timeline entries after event id `after`: what a live queue missed while its socket was away',
    access: 'staff',
    params: idParams,
    query: caseEventsQuery,
    before: [staffRate],
    responses: {
      200: { type: 'object', properties: { id: { type: 'string' }, caseNo: { type: 'string' }, status: { type: 'string' }, statusLabel: { type: 'string' }, events: { type: 'array', items: { $ref: '#/components/schemas/CaseEvent' } } } },
      400: 'Error',
      401: 'Error',
      404: 'Error',
    },
    handler: async ({ params, query, user, req }) => {
      if (!user) throw notFound('Case');
      const record = await findVisibleCase(ctx, params.id, user, req.originalUrl);
      const events = await listCaseEvents(ctx.pool, record.id, { publicOnly: false, afterId: query.after });
      return { id: record.id, caseNo: record.caseNo, status: record.status, statusLabel: STATUS_LABELS[record.status], events: events.map(presentEvent) };
    },
  });
  return router;
}
