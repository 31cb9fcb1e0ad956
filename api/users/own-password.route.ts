import type { Router } from 'express';
import { forbidden, unauthenticated } from '../../errors.js';
import { changeOwnPassword } from '../../models/accounts/user-accounts.js';
import { assertLoginAllowed, clearLoginFailures, recordLoginFailure } from '../auth/login-backoff.js';
import { loginResult } from '../auth/token.js';
import type { ApiContext } from '../context.js';
import { defineRoute } from '../http/route.js';
import { changeOwnPasswordBody } from './users.schema.js';

/** POST /api/users/me/password: any signed-in staff member changes their own password. */
export function ownPasswordRoute(router: Router, ctx: ApiContext): void {
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    operationId: 'changeOwnPassword',
    path: '/api/users/me/password',
    tag: 'users',
    summary: 'Change your own password (the current one is required); returns a new token',
    description: 'Every other session of the account ends at once (tokens and sockets). A wrong current password counts towards the account\'s sign-in backoff.',
    access: 'staff',
    body: changeOwnPasswordBody,
    responses: { 200: 'LoginResult', 400: 'Error', 401: 'Error', 403: 'Error', 429: 'Error', 503: 'Error' },
    handler: async ({ body, user }) => {
      if (!user) throw unauthenticated();
      // A stolen token must not become a way round the sign-in backoff to guess the password.
      await assertLoginAllowed(ctx.redis, user.username);
      const changed = await changeOwnPassword(ctx.pool, user.id, body.currentPassword, body.newPassword);
      if (!changed) {
        await recordLoginFailure(ctx.redis, user.username);
        throw forbidden('The current password is wrong');
      }
      await clearLoginFailures(ctx.redis, user.username);
      await ctx.endSessions(user.id);
      return loginResult(changed, ctx.jwtSecret);
    },
  });
}
