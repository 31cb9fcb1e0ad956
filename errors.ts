/** The stable error codes clients can rely on. */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_state'
  // 信访事项终结: a petition reviewed and re-reviewed is concluded; nothing more can be asked of it.
  | 'final'
  | 'arbitrated'
  | 'payload_too_large'
  | 'rate_limited'
  | 'captcha_required'
  | 'captcha_invalid'
  | 'bad_signature'
  | 'unavailable'
  | 'internal';

export interface ErrorDetail {
  readonly path?: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

/** A domain or request error with its HTTP status; `report` marks those worth an alert. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: readonly ErrorDetail[],
    readonly report = false,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: readonly ErrorDetail[]): AppError =>
  new AppError(400, 'validation_failed', message, details);
export const unauthenticated = (message = 'Authentication required'): AppError =>
  new AppError(401, 'unauthenticated', message);
export const forbidden = (message = 'Not allowed'): AppError => new AppError(403, 'forbidden', message);
export const notFound = (what = 'Resource'): AppError => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, details?: readonly ErrorDetail[]): AppError =>
  new AppError(409, 'conflict', message, details);
export const invalidState = (message: string): AppError => new AppError(409, 'invalid_state', message);
