import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import Joi from 'joi';
import { AppError } from '../../errors.js';
import type { Logger } from '../../infra/logger.js';
import { xmlList } from './open311.xml.js';

/** The format a request under /open311 asked for by its extension; JSON otherwise. */
export function formatOf(req: Request): 'json' | 'xml' {
  return req.path.endsWith('.xml') ? 'xml' : 'json';
}

/** Answers with an Open311 error list `[{ code, description }]`, in the request's format. */
export function sendOpen311Errors(req: Request, res: Response, status: number, descriptions: readonly string[]): void {
  const errors = descriptions.map((description) => ({ code: status, description }));
  if (formatOf(req) === 'xml') res.status(status).type('application/xml').send(xmlList('errors', 'error', errors));
  else res.status(status).json(errors);
}

function describe(error: AppError): string[] {
  if (!error.details?.length) return [error.message];
  return error.details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message));
}

// body-parser's errors, as the API's own handler reads them.
function bodyParserStatus(error: { type?: string; status?: number }): number | undefined {
  return typeof error.type === 'string' && error.status && error.status < 500 ? error.status : undefined;
}

/**
 * Every error under /open311 in the spec's format with its HTTP status: validation (400), a
 * missing or revoked api_key (403), unknown requests, services and paths (404), rate limits (429).
 * Unknown errors are logged and answered as 500 without internals.
 */
export function open311ErrorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof AppError) {
      if (error.report) log.error({ err: error, url: req.originalUrl }, 'open311 request failed');
      sendOpen311Errors(req, res, error.status, describe(error));
      return;
    }
    if (error instanceof Joi.ValidationError) {
      sendOpen311Errors(req, res, 400, error.details.map((d) => d.message));
      return;
    }
    const status = typeof error === 'object' && error !== null ? bodyParserStatus(error) : undefined;
    if (status) {
      sendOpen311Errors(req, res, status, [status === 413 ? 'The request body is too large' : 'The request body could not be read']);
      return;
    }
    log.error({ err: error, method: req.method, url: req.originalUrl }, 'open311 request failed');
    sendOpen311Errors(req, res, 500, ['Internal error']);
  };
}

/** Any path under /open311 that no route served. */
export const open311NotFound: RequestHandler = (req, res) => {
  sendOpen311Errors(req, res, 404, [`No such Open311 resource: ${req.method} ${req.path}`]);
};

/** The 404 and the error handler of everything under /open311, to mount before the API's own. */
export function open311Fallbacks(log: Logger): [RequestHandler, ErrorRequestHandler] {
  return [open311NotFound, open311ErrorHandler(log)];
}
