import type { Response } from 'express';
import { AppError } from '../../errors.js';
import type { Pool } from '../../infra/db.js';
import { findClientByKey, type Open311Client } from '../../models/open311/client.repository.js';
import type { Format } from './open311.schema.js';

/** Writes the answer in the format the path asked for; XML is built by the caller's `xml()`. */
export function respond(res: Response, format: Format, status: number, json: unknown, xml: () => string): undefined {
  if (format === 'xml') res.status(status).type('application/xml').send(xml());
  else res.status(status).json(json);
  return undefined;
}

/** The client holding this api key; a missing, unknown or revoked key is refused with 403, as the spec does. */
export async function requireClient(pool: Pool, apiKey: string | undefined): Promise<Open311Client> {
  const client = apiKey ? await findClientByKey(pool, apiKey) : undefined;
  if (!client) throw new AppError(403, 'forbidden', 'Invalid api_key: missing, unknown or revoked');
  return client;
}
