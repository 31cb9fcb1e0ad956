import type { Response } from 'express';
import { AppError, badRequest } from '../../errors.js';
import type { Pool } from '../../infra/db.js';
import type { UnitDirectory } from '../../models/org/unit-directory.js';
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

/** A jurisdiction_id must be the city or one of its counties as the unit tree knows them. */
export function assertJurisdiction(units: UnitDirectory, jurisdictionId: string | undefined): void {
  if (jurisdictionId && !units.get(jurisdictionId)) {
    throw badRequest('Unknown jurisdiction_id', [{ path: 'jurisdiction_id', message: `"${jurisdictionId}" is neither the city (3713) nor one of its counties` }]);
  }
}
