import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { unauthenticated } from '../../errors.js';
import { verifyAccessToken } from './token.js';
import type { TokenStates } from './token-states.js';

/**
 * Middleware that requires a valid `Authorization: Bearer <token>` of an account that is enabled
 * and unchanged since the token was issued, and sets `req.user`.
 */
export function authenticate(jwtSecret: string, tokenStates: TokenStates): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw unauthenticated();
    const token = verifyAccessToken(match[1], jwtSecret);
    await tokenStates.assertCurrent(token);
    req.user = { id: token.id, username: token.username, role: token.role, unitCode: token.unitCode, ...(token.disclosureHead ? { disclosureHead: true } : {}) };
    next();
  };
}
