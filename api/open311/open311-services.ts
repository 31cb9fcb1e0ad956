import type { Request, RequestHandler, Router } from 'express';
import { notFound } from '../../errors.js';
import { findService, OPEN311_SERVICES } from '../../models/open311/services.js';
import type { ApiContext } from '../context.js';
import { defineRoute } from '../http/route.js';
import { presentService, presentServiceDefinition } from './open311.presenter.js';
import { xmlDocument, xmlList } from './open311.xml.js';
import { formatParams, servicesQuery, serviceParams, type Format } from './open311.schema.js';
import { assertJurisdiction, respond } from './respond.js';

// The date this endpoint's contract last changed, as discovery announces it.
const CHANGESET = '2026-11-29T00:00:00+08:00';

function discovery(req: Request): Record<string, unknown> {
  return {
    changeset: CHANGESET,
    contact: '临沂市12345政务服务便民热线 (call 12345)',
    key_service: 'api keys are issued by the hotline centre (POST /api/open311/clients)',
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${req.protocol}://${req.get('host') ?? 'localhost'}/open311/v2`,
        changeset: CHANGESET,
        type: 'production',
        formats: ['application/json', 'text/xml'],
      },
    ],
  };
}

/** Discovery and the service list: public, as the spec has them; the caller's address is rate-limited. */
export function defineServiceRoutes(router: Router, ctx: ApiContext, rate: RequestHandler): void {
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/open311/discovery.{format}',
    operationId: 'getOpen311Discovery',
    tag: 'open311',
    errorSchema: 'Open311Errors',
    summary: 'Open311 discovery: where the GeoReport v2 endpoint is and which formats it speaks (JSON or XML by the extension)',
    access: 'public',
    params: formatParams,
    before: [rate],
    responses: { 200: { type: 'object' }, 400: 'Open311Errors', 429: 'Open311Errors' },
    handler: ({ params, req, res }) => {
      const body = discovery(req);
      const endpoints = (body.endpoints as Record<string, unknown>[]).map((e) => ({ ...e, formats: { format: e.formats } }));
      return respond(res, params.format, 200, body, () => xmlDocument('discovery', { ...body, endpoints: { endpoint: endpoints } }));
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/open311/v2/services.{format}',
    operationId: 'listOpen311Services',
    tag: 'open311',
    errorSchema: 'Open311Errors',
    summary: 'The requestable services (case categories and matters), for the city (jurisdiction_id 3713) or one of its counties',
    access: 'public',
    params: formatParams,
    query: servicesQuery,
    before: [rate],
    responses: { 200: { type: 'array', items: { $ref: '#/components/schemas/Open311Service' } }, 400: 'Open311Errors', 429: 'Open311Errors' },
    handler: ({ params, query, res }) => {
      assertJurisdiction(ctx.units, query.jurisdiction_id);
      const services = OPEN311_SERVICES.map(presentService);
      return respond(res, params.format, 200, services, () => xmlList('services', 'service', services));
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/open311/v2/services/{code}.{format}',
    operationId: 'getOpen311ServiceDefinition',
    tag: 'open311',
    errorSchema: 'Open311Errors',
    summary: "A service's attributes (the service definition)",
    access: 'public',
    params: serviceParams,
    query: servicesQuery,
    before: [rate],
    responses: { 200: { type: 'object' }, 400: 'Open311Errors', 404: 'Open311Errors', 429: 'Open311Errors' },
    handler: ({ params, res }) => {
      const service = findService(params.code);
      if (!service) throw notFound('Service');
      const definition = presentServiceDefinition(service);
      return respond(res, params.format as Format, 200, definition, () => {
        const attributes = (definition.attributes as Record<string, unknown>[]).map((a) => ({ ...a, values: { value: a.values } }));
        return xmlDocument('service_definition', { ...definition, attributes: { attribute: attributes } });
      });
    },
  });
}
