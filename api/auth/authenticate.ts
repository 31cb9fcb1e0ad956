import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { unauthenticated } from '../../errors.js';
import { verifyAccessToken } from './token.js';

/** Middleware that requires a valid `Authorization: Bearer <token>` and sets `req.user`. */
export function authenticate(jwtSecret: string): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw unauthenticated();
    req.user = verifyAccessToken(match[1], jwtSecret);
    next();
  };
}
