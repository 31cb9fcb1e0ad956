import Joi from 'joi';
import { phone, text } from '../http/common.schema.js';

/** The response format, from the path's extension. */
export type Format = 'json' | 'xml';

const format = Joi.string().valid('json', 'xml').required();

// The city (3713) or one of its counties and districts (371302 …).
const jurisdiction = Joi.string().pattern(/^3713(\d{2})?$/, 'the city code 3713 or a county code');
const apiKey = Joi.string().trim().max(200);
const serviceCode = Joi.string().trim().max(64).pattern(/^[a-z0-9-]+$/, 'service code');
const requestId = Joi.string().pattern(/^\d{15,20}$/, 'service request id');

export const formatParams = Joi.object<{ format: Format }>({ format });
export const serviceParams = Joi.object<{ code: string; format: Format }>({ code: serviceCode.required(), format });
export const requestParams = Joi.object<{ id: string; format: Format }>({ id: requestId.required(), format });

// The service list needs no key; a client sending its own is counted under it.
export const servicesQuery = Joi.object<{ jurisdiction_id?: string; api_key?: string }>({ jurisdiction_id: jurisdiction, api_key: apiKey });

/** POST requests: the spec's fields, form-encoded or JSON. `attribute[title]` is the one service attribute. */
export interface FilingBody {
  api_key: string;
  jurisdiction_id?: string;
  service_code: string;
  description: string;
  address_string?: string;
  lat?: number;
  long?: number;
  first_name?: string;
  last_name?: string;
  phone?: string;
  email?: string;
  media_url?: string;
  device_id?: string;
  account_id?: string;
  'attribute[title]'?: string;
  attribute?: { title?: string };
}

export const filingBody = Joi.object<FilingBody>({
  api_key: apiKey.required(),
  jurisdiction_id: jurisdiction,
  service_code: serviceCode.required(),
  description: text(4000).min(2).required(),
  address_string: text(200),
  lat: Joi.number().min(-90).max(90),
  long: Joi.number().min(-180).max(180),
  first_name: text(25),
  last_name: text(25),
  phone,
  email: Joi.string().trim().email({ tlds: false }).max(254),
  media_url: Joi.string().trim().max(1000).uri({ scheme: ['http', 'https'] }),
  device_id: text(100),
  account_id: text(100),
  'attribute[title]': text(200),
  attribute: Joi.object({ title: text(200) }),
})
  // The spec asks for a location: an address, or both coordinates.
  .or('address_string', 'lat')
  .and('lat', 'long');

/** GET requests. */
export interface ListQuery {
  api_key: string;
  service_request_id?: string[];
  service_code?: string;
  start_date?: Date;
  end_date?: Date;
  status?: 'open' | 'closed';
  jurisdiction_id?: string;
}

export const listQuery = Joi.object<ListQuery>({
  api_key: apiKey.required(),
  // A comma-separated list, as the spec gives it.
  service_request_id: Joi.string()
    .max(2_100)
    .custom((value: string, helpers) => {
      const ids = value.split(',').map((s) => s.trim());
      return ids.length <= 100 && ids.every((id) => /^\d{15,20}$/.test(id)) ? ids : helpers.error('any.invalid');
    })
    .messages({ 'any.invalid': 'service_request_id must be up to 100 comma-separated request ids' }),
  service_code: serviceCode,
  start_date: Joi.date().iso(),
  end_date: Joi.date().iso(),
  status: Joi.string().valid('open', 'closed'),
  jurisdiction_id: jurisdiction,
});

export const readQuery = Joi.object<{ api_key: string; jurisdiction_id?: string }>({ api_key: apiKey.required(), jurisdiction_id: jurisdiction });

/** POST subscriptions: where the client wants status changes of its requests delivered. */
export const subscribeBody = Joi.object<{ api_key: string; callback_url: string }>({
  api_key: apiKey.required(),
  callback_url: Joi.string().trim().max(1000).uri({ scheme: ['http', 'https'] }).required(),
});

export const apiKeyBody = Joi.object<{ api_key: string }>({ api_key: apiKey.required() });

/** POST /api/open311/clients (admin). */
export const clientBody = Joi.object<{ name: string }>({ name: text(100).min(2).required() });
