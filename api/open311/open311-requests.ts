import type { RequestHandler, Router } from 'express';
import { badRequest, notFound } from '../../errors.js';
import { listCaseEvents } from '../../models/cases/case.repository.js';
import { fileOpen311Request } from '../../models/open311/filing.js';
import { findOpen311Case, listOpen311Cases, statusesOf, type Open311Case } from '../../models/open311/request.repository.js';
import { findService } from '../../models/open311/services.js';
import { idempotencyKey } from '../cases/cases.schema.js';
import type { ApiContext } from '../context.js';
import { defineRoute } from '../http/route.js';
import { presentPublicEvent } from '../public/public-case.presenter.js';
import { presentRequest, presentUpdates, serviceNotice } from './open311.presenter.js';
import { xmlList } from './open311.xml.js';
import { filingBody, formatParams, listQuery, readQuery, requestParams } from './open311.schema.js';
import { assertJurisdiction, requireClient, respond } from './respond.js';

const DEFAULT_WINDOW_DAYS = 90;
const MAX_REQUESTS = 1_000;
const DAY_MS = 86_400_000;

/** Filing, reading and following requests: every call carries the client's api_key. */
export function defineRequestRoutes(router: Router, ctx: ApiContext, rate: RequestHandler): void {
  const present = (item: Open311Case): Record<string, unknown> =>
    presentRequest(item, item.record.divisionCode ? (ctx.units.get(item.record.divisionCode)?.name ?? null) : null);

  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/open311/v2/requests.{format}',
    operationId: 'createOpen311Request',
    tag: 'open311',
    errorSchema: 'Open311Errors',
    summary: 'File a service request (form-encoded as the spec gives it, or JSON); it is taken in and routed like any other case',
    description:
      'Answers `[{ service_request_id, service_notice, account_id, query_code }]`: `service_request_id` is the case number; `query_code` is a private extension field, the citizen\'s key to follow the case on the citizen page, for the app to pass on privately. Send an `Idempotency-Key` header so that a retried POST returns the request already filed (200).',
    access: 'public',
    params: formatParams,
    body: filingBody,
    before: [rate],
    responses: { 200: { type: 'array', items: { $ref: '#/components/schemas/Open311Receipt' } }, 201: { type: 'array', items: { $ref: '#/components/schemas/Open311Receipt' } }, 400: 'Open311Errors', 403: 'Open311Errors', 409: 'Open311Errors', 413: 'Open311Errors', 429: 'Open311Errors' },
    handler: async ({ params, body, req, res }) => {
      const client = await requireClient(ctx.pool, body.api_key);
      assertJurisdiction(ctx.units, body.jurisdiction_id);
      const service = findService(body.service_code);
      if (!service) throw badRequest('Unknown service_code', [{ path: 'service_code', message: `"${body.service_code}" is not a service of GET services` }]);
      const header = req.get('Idempotency-Key');
      const key = header === undefined ? undefined : idempotencyKey.validate(header);
      if (key?.error) throw badRequest('Invalid Idempotency-Key header', [{ path: 'headers.idempotency-key', message: key.error.message }]);
      const name = [body.last_name, body.first_name].filter(Boolean).join('');
      const county = body.jurisdiction_id && body.jurisdiction_id.length === 6 ? body.jurisdiction_id : undefined;
      const { record, created } = await fileOpen311Request(ctx.pool, ctx.intake, {
        clientId: client.id,
        service,
        description: body.description,
        title: body['attribute[title]'] ?? body.attribute?.title,
        address: body.address_string,
        divisionCode: county,
        lat: body.lat,
        long: body.long,
        citizen: { ...(name ? { name } : {}), ...(body.phone ? { phone: body.phone } : {}), ...(body.email ? { email: body.email } : {}) },
        mediaUrl: body.media_url,
        deviceId: body.device_id,
        accountId: body.account_id,
        idempotencyKey: key?.value,
      });
      const receipt = [
        { service_request_id: record.caseNo, service_notice: serviceNotice(record.deadlines.replyBy?.toISOString() ?? null), account_id: body.account_id ?? null, query_code: record.queryCode },
      ];
      return respond(res, params.format, created ? 201 : 200, receipt, () => xmlList('service_requests', 'request', receipt));
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/open311/v2/requests.{format}',
    operationId: 'listOpen311Requests',
    tag: 'open311',
    errorSchema: 'Open311Errors',
    summary: 'Requests, newest first, de-identified like the citizen view: by ids, or by service, dates (default the last 90 days) and status; at most 1,000',
    access: 'public',
    params: formatParams,
    query: listQuery,
    before: [rate],
    responses: { 200: { type: 'array', items: { $ref: '#/components/schemas/Open311Request' } }, 400: 'Open311Errors', 403: 'Open311Errors', 429: 'Open311Errors' },
    handler: async ({ params, query, res }) => {
      await requireClient(ctx.pool, query.api_key);
      const service = query.service_code ? findService(query.service_code) : undefined;
      if (query.service_code && !service) throw badRequest('Unknown service_code', [{ path: 'query.service_code', message: `"${query.service_code}" is not a service of GET services` }]);
      const to = query.end_date ?? new Date(Date.now() + DAY_MS);
      const from = query.start_date ?? new Date(to.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS);
      if (from >= to) throw badRequest('start_date must be before end_date', [{ path: 'query.start_date', message: 'start_date must be before end_date' }]);
      // The spec: with service_request_id given, every other filter is ignored.
      const filter = query.service_request_id
        ? { caseNos: query.service_request_id, from: new Date(0), to: new Date(8.64e15), limit: MAX_REQUESTS }
        : { service, statuses: query.status ? statusesOf(query.status) : undefined, from, to, limit: MAX_REQUESTS };
      const items = (await listOpen311Cases(ctx.pool, filter)).map(present);
      return respond(res, params.format, 200, items, () => xmlList('service_requests', 'request', items));
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/open311/v2/requests/{id}.{format}',
    operationId: 'getOpen311Request',
    tag: 'open311',
    errorSchema: 'Open311Errors',
    summary: 'One request by its id (the case number), de-identified like the citizen view',
    access: 'public',
    params: requestParams,
    query: readQuery,
    before: [rate],
    responses: { 200: { type: 'array', items: { $ref: '#/components/schemas/Open311Request' } }, 400: 'Open311Errors', 403: 'Open311Errors', 404: 'Open311Errors', 429: 'Open311Errors' },
    handler: async ({ params, query, res }) => {
      await requireClient(ctx.pool, query.api_key);
      const item = await findOpen311Case(ctx.pool, params.id);
      if (!item) throw notFound('Service request');
      const items = [present(item)];
      return respond(res, params.format, 200, items, () => xmlList('service_requests', 'request', items));
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/open311/v2/requests/{id}/updates.{format}',
    operationId: 'listOpen311RequestUpdates',
    tag: 'open311',
    errorSchema: 'Open311Errors',
    summary: "A request's public timeline as updates (the GeoReport extension FixMyStreet offers)",
    access: 'public',
    params: requestParams,
    query: readQuery,
    before: [rate],
    responses: { 200: { type: 'array', items: { $ref: '#/components/schemas/Open311Update' } }, 400: 'Open311Errors', 403: 'Open311Errors', 404: 'Open311Errors', 429: 'Open311Errors' },
    handler: async ({ params, query, res }) => {
      await requireClient(ctx.pool, query.api_key);
      const item = await findOpen311Case(ctx.pool, params.id);
      if (!item) throw notFound('Service request');
      const events = await listCaseEvents(ctx.pool, item.record.id, { publicOnly: true });
      const updates = presentUpdates(item.record.caseNo, events.map((event) => presentPublicEvent(event)));
      return respond(res, params.format, 200, updates, () => xmlList('service_request_updates', 'request_update', updates));
    },
  });
}
