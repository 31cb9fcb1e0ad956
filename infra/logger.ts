import { pino, type Logger } from 'pino';

/** Creates the process logger; JSON lines, so that several processes can be collected together. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { pid: process.pid }, redact: ['req.headers.authorization', '*.password'] });
}

export type { Logger };
