const str = { type: 'string' };
const nullableStr = { type: ['string', 'null'] };
const nullableNum = { type: ['number', 'null'] };

/** The shapes of Open311 GeoReport v2 answers (JSON; the XML carries the same fields). */
export const OPEN311_SCHEMAS: Record<string, Record<string, unknown>> = {
  Open311Errors: {
    type: 'array',
    description: 'The Open311 error format; `code` repeats the HTTP status.',
    items: { type: 'object', required: ['code', 'description'], properties: { code: { type: 'integer' }, description: str } },
  },
  Open311Service: {
    type: 'object',
    properties: { service_code: str, service_name: str, description: str, metadata: { type: 'boolean' }, type: { type: 'string', enum: ['realtime', 'batch', 'blackbox'] }, keywords: str, group: str },
  },
  Open311Receipt: {
    type: 'object',
    properties: { service_request_id: str, service_notice: str, account_id: nullableStr, query_code: { type: 'string', description: "Extension: the citizen's query code, for the app to pass on privately" } },
  },
  Open311Request: {
    type: 'object',
    properties: {
      service_request_id: str,
      status: { type: 'string', enum: ['open', 'closed'] },
      status_notes: nullableStr,
      service_name: nullableStr,
      service_code: nullableStr,
      description: nullableStr,
      agency_responsible: nullableStr,
      service_notice: str,
      requested_datetime: { type: 'string', format: 'date-time' },
      updated_datetime: { type: 'string', format: 'date-time' },
      expected_datetime: { type: ['string', 'null'], format: 'date-time' },
      address: nullableStr,
      address_id: nullableStr,
      zipcode: nullableStr,
      lat: nullableNum,
      long: nullableNum,
      media_url: nullableStr,
    },
  },
  Open311Update: {
    type: 'object',
    properties: { update_id: str, service_request_id: str, status: { type: 'string', enum: ['open', 'closed'] }, updated_datetime: { type: 'string', format: 'date-time' }, description: nullableStr, media_url: nullableStr },
  },
  Open311Client: {
    type: 'object',
    properties: { id: { type: 'string', format: 'uuid' }, name: str, keyPrefix: str, createdAt: { type: 'string', format: 'date-time' }, revokedAt: { type: ['string', 'null'], format: 'date-time' } },
  },
};
