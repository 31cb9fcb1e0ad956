import { Router } from 'express';
import { notFound } from '../../errors.js';
import { createClient, listClients, revokeClient, type Open311Client } from '../../models/open311/client.repository.js';
import type { ApiContext } from '../context.js';
import { idParams } from '../http/common.schema.js';
import { defineRoute } from '../http/route.js';
import { clientBody } from './open311.schema.js';

const present = (c: Open311Client): Record<string, unknown> => ({
  id: c.id,
  name: c.name,
  keyPrefix: c.keyPrefix,
  createdAt: c.createdAt.toISOString(),
  revokedAt: c.revokedAt?.toISOString() ?? null,
});

/** GET/POST /api/open311/clients, DELETE /api/open311/clients/{id} (admin): api keys of Open311 clients, audited. */
export function open311ClientsRouter(ctx: ApiContext): Router {
  const router = Router();
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/open311/clients',
    operationId: 'listOpen311Clients',
    tag: 'open311',
    summary: 'List Open311 clients (never their keys: only the first characters)',
    access: ['admin'],
    responses: { 200: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Open311Client' } } } }, 401: 'Error', 403: 'Error' },
    handler: async () => ({ items: (await listClients(ctx.pool)).map(present) }),
  });
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/open311/clients',
    operationId: 'createOpen311Client',
    tag: 'open311',
    summary: 'Issue an api key to an Open311 client; the key is in this answer only (stored as a hash)',
    access: ['admin'],
    body: clientBody,
    status: 201,
    responses: { 201: { allOf: [{ $ref: '#/components/schemas/Open311Client' }, { type: 'object', properties: { apiKey: { type: 'string' } } }] }, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ body, user }) => {
      const { client, apiKey } = await createClient(ctx.pool, body.name, user?.id ?? null);
      return { ...present(client), apiKey };
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'delete',
    path: '/api/open311/clients/{id}',
    operationId: 'revokeOpen311Client',
    tag: 'open311',
    summary: "Revoke a client's api key (and its subscription) at once",
    access: ['admin'],
    params: idParams,
    responses: { 200: 'Open311Client', 400: 'Error', 401: 'Error', 403: 'Error', 404: 'Error' },
    handler: async ({ params, user }) => {
      const client = await revokeClient(ctx.pool, params.id, user?.id ?? null);
      if (!client) throw notFound('Open311 client');
      return present(client);
    },
  });
  return router;
}
