import { Router } from 'express';
import { unauthenticated } from '../../errors.js';
import { verifyPassword } from '../../models/password.js';
import { findUserForLogin } from '../../models/user.repository.js';
import type { ApiContext } from '../context.js';
import { limitRate, RATE_LIMITS } from '../http/rate-limit.js';
import { defineRoute } from '../http/route.js';
import { loginBody } from './auth.schema.js';
import { signAccessToken } from './token.js';

/** POST /api/auth/login. */
export function authRouter(ctx: ApiContext): Router {
  const router = Router();
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    tag: 'auth',
    summary: 'Sign in; returns a bearer token valid for 12 hours',
    access: 'public',
    body: loginBody,
    before: [limitRate(ctx.redis, RATE_LIMITS.login)],
    responses: { 200: 'LoginResult', 400: 'Error', 401: 'Error', 429: 'Error' },
    handler: async ({ body }) => {
      const user = await findUserForLogin(ctx.pool, body.username);
      if (!(await verifyPassword(user?.passwordHash, body.password)) || !user) throw unauthenticated('Wrong username or password');
      const principal = { id: user.id, username: user.username, role: user.role, unitCode: user.unitCode };
      return { accessToken: signAccessToken(principal, ctx.jwtSecret), tokenType: 'Bearer', expiresIn: 12 * 3600, user: principal };
    },
  });
  return router;
}
