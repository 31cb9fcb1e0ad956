import crypto from 'node:crypto';
import { withTransaction, type Pool, type Queryable } from '../../infra/db.js';
import { recordAudit } from '../accounts/audit.repository.js';

/** An Open311 client as admins see it: never the key itself, only its first characters. */
export interface Open311Client {
  readonly id: string;
  readonly name: string;
  readonly keyPrefix: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

interface ClientRow {
  id: string;
  name: string;
  key_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toClient = (r: ClientRow): Open311Client => ({ id: r.id, name: r.name, keyPrefix: r.key_prefix, createdAt: r.created_at, revokedAt: r.revoked_at });

const KEY_PREFIX_LENGTH = 8;

function hashKey(apiKey: string): Buffer {
  return crypto.createHash('sha256').update(apiKey, 'utf8').digest();
}

/** Issues a client and its api key; the key is returned here once and stored only as a hash. */
export async function createClient(pool: Pool, name: string, actorId: string | null): Promise<{ client: Open311Client; apiKey: string }> {
  const apiKey = `o311_${crypto.randomBytes(32).toString('base64url')}`;
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<ClientRow>(
      'INSERT INTO open311_clients (name, key_hash, key_prefix, created_by) VALUES ($1, $2, $3, $4) RETURNING id, name, key_prefix, created_at, revoked_at',
      [name, hashKey(apiKey), apiKey.slice(0, KEY_PREFIX_LENGTH), actorId],
    );
    const client = toClient(rows[0] as ClientRow);
    await recordAudit(tx, { actorId, action: 'open311_client.create', subjectType: 'open311_client', subjectId: client.id, after: { name, keyPrefix: client.keyPrefix } });
    return { client, apiKey };
  });
}

/** Every client, newest first. */
export async function listClients(db: Queryable): Promise<Open311Client[]> {
  const { rows } = await db.query<ClientRow>('SELECT id, name, key_prefix, created_at, revoked_at FROM open311_clients ORDER BY created_at DESC, id');
  return rows.map(toClient);
}

/** Revokes a client's key at once; undefined when there is no such client. Revoking twice changes nothing. */
export async function revokeClient(pool: Pool, id: string, actorId: string | null): Promise<Open311Client | undefined> {
  return withTransaction(pool, async (tx) => {
    const { rows: before } = await tx.query<ClientRow>('SELECT id, name, key_prefix, created_at, revoked_at FROM open311_clients WHERE id = $1 FOR UPDATE', [id]);
    const found = before[0];
    if (!found) return undefined;
    if (found.revoked_at) return toClient(found);
    const { rows } = await tx.query<ClientRow>(
      'UPDATE open311_clients SET revoked_at = now(), revoked_by = $2 WHERE id = $1 RETURNING id, name, key_prefix, created_at, revoked_at',
      [id, actorId],
    );
    // A revoked client's subscription stops too: nothing more goes to its callback.
    await tx.query('UPDATE open311_subscriptions SET revoked_at = now() WHERE client_id = $1 AND revoked_at IS NULL', [id]);
    const client = toClient(rows[0] as ClientRow);
    await recordAudit(tx, { actorId, action: 'open311_client.revoke', subjectType: 'open311_client', subjectId: id, before: { revokedAt: null }, after: { revokedAt: client.revokedAt } });
    return client;
  });
}

/** The active client holding this api key, if any. */
export async function findClientByKey(db: Queryable, apiKey: string): Promise<Open311Client | undefined> {
  const { rows } = await db.query<ClientRow>('SELECT id, name, key_prefix, created_at, revoked_at FROM open311_clients WHERE key_hash = $1 AND revoked_at IS NULL', [hashKey(apiKey)]);
  return rows[0] ? toClient(rows[0]) : undefined;
}
