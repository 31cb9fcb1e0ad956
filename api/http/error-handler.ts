import type { ErrorRequestHandler } from 'express';
import Joi from 'joi';
import { AppError, type ErrorDetail } from '../../errors.js';
import type { Logger } from '../../infra/logger.js';
import { isServiceUnavailable } from '../../infra/unavailable.js';

interface ErrorBody {
  error: { code: string; message: string; details?: readonly ErrorDetail[] };
}

// PostgreSQL SQLSTATEs that a client's input can cause; anything else is our fault.
function fromPostgres(error: { code?: string; detail?: string; constraint?: string }): AppError | undefined {
  switch (error.code) {
    case '23505':
      return new AppError(409, 'conflict', 'That value is already taken', [{ message: error.constraint ?? 'unique' }]);
    case '23503':
    case '22P02':
    case '22001':
    case '23514':
      return new AppError(400, 'validation_failed', 'The request refers to something that does not exist or is malformed');
    case '40001':
    case '40P01':
      return new AppError(409, 'conflict', 'Another change to the same record happened at the same time; try again');
    default:
      return undefined;
  }
}

// body-parser errors carry a `type` and a status; map them to our error codes.
function fromBodyParser(error: { type?: string; status?: number }): AppError | undefined {
  if (error.type === 'entity.too.large') return new AppError(413, 'payload_too_large', 'The request body is too large');
  if (error.type === 'entity.parse.failed') return new AppError(400, 'validation_failed', 'The request body is not valid JSON');
  if (typeof error.type === 'string' && error.status && error.status < 500) {
    return new AppError(error.status, 'validation_failed', 'The request body could not be read');
  }
  return undefined;
}

/** Turns every error into `{ error: { code, message, details } }` with the right status. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known =
      error instanceof AppError
        ? error
        : error instanceof Joi.ValidationError
          ? new AppError(400, 'validation_failed', 'Invalid request', error.details.map((d) => ({ path: d.path.join('.'), message: d.message })))
          : isServiceUnavailable(error)
            ? new AppError(503, 'unavailable', 'A service this request needs is unavailable; try again shortly', undefined, true)
            : typeof error === 'object' && error !== null
              ? (fromBodyParser(error) ?? fromPostgres(error))
              : undefined;
    const appError = known ?? new AppError(500, 'internal', 'Internal error', undefined, true);
    if (appError.report || !known) log.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed');
    const body: ErrorBody = { error: { code: appError.code, message: appError.message } };
    if (appError.details) body.error.details = appError.details;
    if (res.headersSent) return;
    // Backing services come back within seconds (a restart, a failover): a client may retry then.
    if (appError.status === 503) res.set('Retry-After', '5');
    const retryAfter = appError.details?.find((d) => typeof d.retryAfterSeconds === 'number')?.retryAfterSeconds;
    if (appError.status === 429 && typeof retryAfter === 'number') res.set('Retry-After', String(retryAfter));
    res.status(appError.status).json(body);
  };
}
