import type { Queryable } from '../../infra/db.js';
import { OPEN_STATUSES, STATUSES, type CaseRecord, type CaseStatus } from '../cases/case.js';
import { CASE_COLUMNS, CASE_FROM, toCaseRecord } from '../cases/case.repository.js';
import { OPEN311_CASE_TYPES, caseFilterOf, type Open311Service } from './services.js';

/** What an Open311 filing recorded beside the case; absent for cases that came in another way. */
export interface Open311Extras {
  readonly clientId: string;
  readonly serviceCode: string;
  readonly lat: number | null;
  readonly long: number | null;
  readonly mediaUrl: string | null;
}

/** A case as Open311 reads it: the case and, when it was filed through Open311, what came with it. */
export interface Open311Case {
  readonly record: CaseRecord;
  readonly extras: Open311Extras | null;
  /** The time of the latest public event: when the request last changed as the public sees it. */
  readonly updatedAt: Date;
}

/** The status filter of a request list: the workflow statuses behind open and closed. */
export function statusesOf(status: 'open' | 'closed'): CaseStatus[] {
  return status === 'open' ? [...OPEN_STATUSES] : STATUSES.filter((s) => !OPEN_STATUSES.includes(s));
}

/** Filters of GET requests; dates bound the receipt time. */
export interface Open311Filter {
  readonly caseNos?: readonly string[];
  readonly service?: Open311Service;
  readonly statuses?: readonly CaseStatus[];
  readonly from: Date;
  readonly to: Date;
  readonly limit: number;
}

type Row = Parameters<typeof toCaseRecord>[0] & {
  o311_client_id: string | null;
  o311_service_code: string | null;
  o311_lat: number | null;
  o311_long: number | null;
  o311_media_url: string | null;
  o311_updated_at: Date | null;
};

const SELECT = `SELECT ${CASE_COLUMNS}, r.client_id AS o311_client_id, r.service_code AS o311_service_code, r.lat AS o311_lat,
                       r.long AS o311_long, r.media_url AS o311_media_url,
                       (SELECT max(e.created_at) FROM case_events e WHERE e.case_id = c.id AND e.public) AS o311_updated_at
                  FROM ${CASE_FROM} LEFT JOIN open311_requests r ON r.case_id = c.id`;

function toOpen311Case(row: Row): Open311Case {
  const extras =
    row.o311_client_id && row.o311_service_code
      ? { clientId: row.o311_client_id, serviceCode: row.o311_service_code, lat: row.o311_lat, long: row.o311_long, mediaUrl: row.o311_media_url }
      : null;
  const record = toCaseRecord(row);
  return { record, extras, updatedAt: row.o311_updated_at ?? record.receivedAt };
}

/**
 * Cases of the types Open311 offers, newest first. Petitions and disclosure requests never show,
 * nor cases merged into another (the surviving case carries the matter).
 */
export async function listOpen311Cases(db: Queryable, f: Open311Filter): Promise<Open311Case[]> {
  const service = f.service ? caseFilterOf(f.service) : undefined;
  const { rows } = await db.query<Row>(
    `${SELECT}
      WHERE c.type = ANY($1::text[]) AND c.merged_into IS NULL
        AND c.received_at >= $2 AND c.received_at < $3
        AND ($4::text[] IS NULL OR c.case_no = ANY($4::text[]))
        AND ($5::text IS NULL OR c.type = $5)
        AND ($6::text IS NULL OR c.category = $6)
        AND ($7::text[] IS NULL OR c.category IS NULL OR NOT (c.category = ANY($7::text[])))
        AND ($8::text[] IS NULL OR c.status = ANY($8::text[]))
      ORDER BY c.received_at DESC, c.id DESC
      LIMIT $9`,
    [
      OPEN311_CASE_TYPES,
      f.from,
      f.to,
      f.caseNos ?? null,
      service?.caseType ?? null,
      service?.category ?? null,
      service && service.category === null ? service.excludeCategories : null,
      f.statuses ?? null,
      f.limit,
    ],
  );
  return rows.map(toOpen311Case);
}

/** One case by its number, if Open311 shows it. */
export async function findOpen311Case(db: Queryable, caseNo: string): Promise<Open311Case | undefined> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE c.case_no = $1 AND c.type = ANY($2::text[]) AND c.merged_into IS NULL`, [caseNo, OPEN311_CASE_TYPES]);
  return rows[0] ? toOpen311Case(rows[0]) : undefined;
}

/** One case by id, with its Open311 extras. */
export async function findOpen311CaseById(db: Queryable, id: string): Promise<Open311Case | undefined> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE c.id = $1`, [id]);
  return rows[0] ? toOpen311Case(rows[0]) : undefined;
}
