/*
 * Failures that mean PostgreSQL or Redis is out of reach, not that the request or our code is wrong:
 * the same request succeeds once the service is back, so clients are told to retry (503).
 */

// SQLSTATE class 08 (connection exception), the server shutting down or starting up, or full.
const POSTGRES_UNAVAILABLE = /^(08...|57P01|57P02|57P03|53300)$/;
const SOCKET_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
// pg and ioredis report a lost or refused connection by message only.
const LOST_CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Connection is closed.',
  "Stream isn't writeable and enableOfflineQueue options is false",
];

/** Whether `error` says a backing service (PostgreSQL, Redis) is unreachable rather than the request being wrong. */
export function isServiceUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && (POSTGRES_UNAVAILABLE.test(code) || SOCKET_ERRNOS.has(code))) return true;
  if (name === 'MaxRetriesPerRequestError') return true;
  return typeof message === 'string' && LOST_CONNECTION_MESSAGES.some((m) => message.startsWith(m));
}
