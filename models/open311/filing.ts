import { withTransaction, type Pool } from '../../infra/db.js';
import { registerCase, type IntakeDeps, type IntakeResult } from '../cases/case-intake.js';
import type { Citizen } from '../cases/case.js';
import type { Open311Service } from './services.js';

/** An Open311 filing, validated at the edge and mapped to the service it names. */
export interface Open311Filing {
  readonly clientId: string;
  readonly service: Open311Service;
  readonly description: string;
  readonly title?: string;
  readonly address?: string;
  /** A county named as the jurisdiction: places the case when no address says more. */
  readonly divisionCode?: string;
  readonly lat?: number;
  readonly long?: number;
  readonly citizen: Citizen;
  readonly mediaUrl?: string;
  readonly deviceId?: string;
  readonly accountId?: string;
  /** The client's Idempotency-Key: a retried POST returns the case already filed. */
  readonly idempotencyKey?: string;
}

/**
 * Open311 requests come in as online submissions (`online`): the channel set is the case
 * workflow's, shared with reporting and outbound replies, and an app on the web is what `online`
 * means. Which client filed a case is kept in open311_requests.
 */
const OPEN311_CHANNEL = 'online';

/**
 * Files a request through the one intake path (routing, deadlines, first event and outbox row) and
 * records the Open311 extras in the same transaction. A retry under the same Idempotency-Key
 * reaches the same case through intake's per-channel message id.
 */
export async function fileOpen311Request(pool: Pool, deps: IntakeDeps, filing: Open311Filing): Promise<IntakeResult> {
  return withTransaction(pool, async (tx) => {
    const result = await registerCase(
      tx,
      {
        channel: OPEN311_CHANNEL,
        type: filing.service.caseType,
        ...(filing.service.category ? { category: filing.service.category } : {}),
        title: filing.title ?? filing.service.name,
        content: filing.description,
        ...(filing.address ? { address: filing.address } : filing.divisionCode ? { divisionCode: filing.divisionCode } : {}),
        ...(filing.idempotencyKey ? { externalId: `open311:${filing.clientId}:${filing.idempotencyKey}` } : {}),
        citizen: filing.citizen,
      },
      { id: null, role: 'channel', unitCode: null },
      deps,
      { note: '开放接口（Open311）来件已受理登记' },
    );
    await tx.query(
      `INSERT INTO open311_requests (case_id, client_id, service_code, lat, long, media_url, device_id, account_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (case_id) DO NOTHING`,
      [result.record.id, filing.clientId, filing.service.code, filing.lat ?? null, filing.long ?? null, filing.mediaUrl ?? null, filing.deviceId ?? null, filing.accountId ?? null],
    );
    return result;
  });
}
