import { Router } from 'express';
import { badRequest } from '../../errors.js';
import { recordAudit } from '../../models/audit.repository.js';
import { createUser, listUsers } from '../../models/user.repository.js';
import type { ApiContext } from '../context.js';
import { defineRoute } from '../http/route.js';
import { createUserBody, listUsersQuery } from './users.schema.js';

const present = (u: { id: string; username: string; role: string; unitCode: string | null; createdAt: Date }): Record<string, unknown> => ({
  id: u.id,
  username: u.username,
  role: u.role,
  unitCode: u.unitCode,
  createdAt: u.createdAt.toISOString(),
});

/** GET/POST /api/users (admin). */
export function usersRouter(ctx: ApiContext): Router {
  const router = Router();
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/users',
    operationId: 'listUsers',
    tag: 'users',
    summary: 'List staff accounts',
    access: ['admin'],
    query: listUsersQuery,
    responses: { 200: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/User' } } } }, 401: 'Error', 403: 'Error' },
    handler: async ({ query }) => ({ items: (await listUsers(ctx.pool, query)).map(present) }),
  });
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/users',
    operationId: 'createUser',
    tag: 'users',
    summary: 'Create a staff account (a handler is bound to one unit)',
    access: ['admin'],
    body: createUserBody,
    status: 201,
    responses: { 201: 'User', 400: 'Error', 401: 'Error', 403: 'Error', 409: 'Error' },
    handler: async ({ body, user }) => {
      if (body.unitCode && !ctx.units.get(body.unitCode)) {
        throw badRequest('Unknown unit', [{ path: 'body.unitCode', message: `no unit has the code "${body.unitCode}"` }]);
      }
      const created = await createUser(ctx.pool, { ...body, unitCode: body.unitCode ?? null }, user?.id ?? null);
      await recordAudit(ctx.pool, { actorId: user?.id ?? null, action: 'create', subjectType: 'user', subjectId: created.id, after: present(created) });
      return present(created);
    },
  });
  return router;
}
