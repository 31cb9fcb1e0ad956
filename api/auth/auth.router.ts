import { Router } from 'express';
import { unauthenticated } from '../../errors.js';
import { recordAudit } from '../../models/accounts/audit.repository.js';
import { verifyPassword } from '../../models/accounts/password.js';
import { findUserForLogin, normaliseUsername } from '../../models/accounts/user.repository.js';
import type { ApiContext } from '../context.js';
import { limitRate, RATE_LIMITS } from '../http/rate-limit.js';
import { defineRoute } from '../http/route.js';
import { loginBody } from './auth.schema.js';
import { assertLoginAllowed, clearLoginFailures, recordLoginFailure } from './login-backoff.js';
import { loginResult } from './token.js';

/** POST /api/auth/login. */
export function authRouter(ctx: ApiContext): Router {
  const router = Router();
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    tag: 'auth',
    summary: 'Sign in; returns a bearer token valid for 12 hours',
    description:
      'The username is compared trimmed, NFKC-normalised and lower-cased. Failed sign-ins are limited per address and name, and each account backs off exponentially after 5 failures whatever the address (429). Every attempt that reaches the password check is audited.',
    access: 'public',
    body: loginBody,
    before: [limitRate(ctx.redis, RATE_LIMITS.login)],
    responses: { 200: 'LoginResult', 400: 'Error', 401: 'Error', 429: 'Error', 503: 'Error' },
    handler: async ({ body, req }) => {
      const username = normaliseUsername(body.username);
      await assertLoginAllowed(ctx.redis, username);
      const user = await findUserForLogin(ctx.pool, username);
      const passwordOk = await verifyPassword(user?.passwordHash, body.password);
      const attempt = { username, ip: req.ip ?? null };
      if (!passwordOk || !user || user.disabled) {
        await recordLoginFailure(ctx.redis, username);
        const reason = !user ? 'unknown_user' : passwordOk ? 'disabled' : 'wrong_password';
        await recordAudit(ctx.pool, { actorId: user?.id ?? null, action: 'login_failed', subjectType: 'user', subjectId: user?.id ?? username, after: { ...attempt, reason } });
        throw unauthenticated('Wrong username or password');
      }
      await clearLoginFailures(ctx.redis, username);
      await recordAudit(ctx.pool, { actorId: user.id, action: 'login', subjectType: 'user', subjectId: user.id, after: attempt });
      return loginResult(user, ctx.jwtSecret);
    },
  });
  return router;
}
