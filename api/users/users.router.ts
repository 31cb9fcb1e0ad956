import { Router } from 'express';
import { badRequest, forbidden, notFound } from '../../errors.js';
import { withTransaction } from '../../infra/db.js';
import { recordAudit } from '../../models/accounts/audit.repository.js';
import { createUser, findUserById, listUsers, type User } from '../../models/accounts/user.repository.js';
import type { ApiContext } from '../context.js';
import { idParams } from '../http/common.schema.js';
import { defineRoute } from '../http/route.js';
import { ownPasswordRoute } from './own-password.route.js';
import { createUserBody, listUsersQuery, patchUserBody } from './users.schema.js';
import { changeUser } from '../../models/accounts/user-accounts.js';

/** The account as the API shows it: never its hash or token version. */
export const presentUser = (u: User): Record<string, unknown> => ({
  id: u.id,
  username: u.username,
  role: u.role,
  unitCode: u.unitCode,
  disabled: u.disabled,
  disclosureHead: u.disclosureHead,
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
});

/** GET/POST /api/users, GET/PATCH /api/users/{id} (admin); POST /api/users/me/password (anyone signed in). */
export function usersRouter(ctx: ApiContext): Router {
  const router = Router();
  const assertUnit = (code: string | null | undefined): void => {
    if (code && !ctx.units.get(code)) throw badRequest('Unknown unit', [{ path: 'body.unitCode', message: `no unit has the code "${code}"` }]);
  };
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/users',
    operationId: 'listUsers',
    tag: 'users',
    summary: 'List staff accounts',
    access: ['admin'],
    query: listUsersQuery,
    responses: { 200: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/User' } } } }, 401: 'Error', 403: 'Error' },
    handler: async ({ query }) => ({ items: (await listUsers(ctx.pool, query)).map(presentUser) }),
  });
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/users',
    operationId: 'createUser',
    tag: 'users',
    summary: 'Create a staff account (a handler is bound to one unit); the username is stored lower-case',
    access: ['admin'],
    body: createUserBody,
    status: 201,
    responses: { 201: 'User', 400: 'Error', 401: 'Error', 403: 'Error', 409: 'Error' },
    handler: async ({ body, user }) => {
      assertUnit(body.unitCode);
      const actorId = user?.id ?? null;
      // The audit row commits with the account or not at all.
      const created = await withTransaction(ctx.pool, async (tx) => {
        const row = await createUser(tx, { ...body, unitCode: body.unitCode ?? null }, actorId);
        await recordAudit(tx, { actorId, action: 'create', subjectType: 'user', subjectId: row.id, after: presentUser(row) });
        return row;
      });
      return presentUser(created);
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    operationId: 'getUser',
    path: '/api/users/{id}',
    tag: 'users',
    summary: 'One staff account',
    access: ['admin'],
    params: idParams,
    responses: { 200: 'User', 400: 'Error', 401: 'Error', 403: 'Error', 404: 'Error' },
    handler: async ({ params }) => {
      const found = await findUserById(ctx.pool, params.id);
      if (!found) throw notFound('User');
      return presentUser(found);
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'patch',
    operationId: 'updateUser',
    path: '/api/users/{id}',
    tag: 'users',
    summary: 'Change an account: role, unit, disabled, head of a disclosure office, or reset its password',
    description:
      'Every change ends the account\'s sessions at once: its tokens are refused from the next request and its open sockets are cut. Audited in the same transaction. ' +
      '`disclosureHead: true` designates a handler of a disclosure office as its head (政府信息公开工作机构负责人), who alone approves or rejects the extensions of the disclosure requests the office holds (《政府信息公开条例》 art. 33); ' +
      'any other account gets 400. Moving the account to another unit or role drops the designation.',
    access: ['admin'],
    params: idParams,
    body: patchUserBody,
    responses: { 200: 'User', 400: 'Error', 401: 'Error', 403: 'Error', 404: 'Error' },
    handler: async ({ params, body, user }) => {
      // Admin is a role that only an admin can take away: not from oneself, so that the last one cannot lock everyone out.
      if (user?.id === params.id && (body.disabled === true || (body.role !== undefined && body.role !== 'admin'))) {
        throw forbidden('You cannot disable your own account or take away your own admin role');
      }
      assertUnit(body.unitCode);
      // Admin access guarantees a user here.
      const updated = await changeUser(ctx.pool, params.id, body, user?.id ?? '');
      await ctx.endSessions(params.id);
      return presentUser(updated);
    },
  });
  ownPasswordRoute(router, ctx);
  return router;
}
