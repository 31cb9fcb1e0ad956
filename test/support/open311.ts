import { XMLParser } from 'fast-xml-parser';
import { harness } from './harness.js';
import { request, type TestResponse } from './http.js';

/** Logs in as the seeded admin. */
export async function adminToken(): Promise<string> {
  return (await request('POST', '/api/auth/login', { body: { username: 'admin', password: harness().adminPassword } })).body.accessToken as string;
}

/** Issues an Open311 client through the admin API and returns its id and api key. */
export async function createOpen311Client(admin: string, name = '随手拍'): Promise<{ id: string; apiKey: string }> {
  const res = await request('POST', '/api/open311/clients', { token: admin, body: { name } });
  if (res.status !== 201) throw new Error(`create client: ${res.status} ${res.text}`);
  return { id: res.body.id as string, apiKey: res.body.apiKey as string };
}

/** A form-encoded POST, as the spec sends requests. */
export async function postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<TestResponse> {
  return request('POST', path, { raw: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
}

/** The spec's filing fields with a location in 费县探沂镇; override any field. */
export function filingFields(apiKey: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    api_key: apiKey,
    service_code: 'complaint-municipal',
    description: `村口路灯坏了一个星期，晚上很黑，联系电话13812341234 ${Math.random().toString(36).slice(2, 8)}`,
    address_string: '临沂市费县探沂镇朱田村东',
    lat: '35.2661',
    long: '117.9776',
    first_name: '三',
    last_name: '张',
    phone: '13812341234',
    email: 'zhangsan@example.com',
    ...overrides,
  };
}

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => ['request', 'service', 'error', 'request_update', 'attribute', 'endpoint', 'format', 'subscription'].includes(name) });

/** Parses an XML answer (failing on malformed XML) into plain objects. */
export function parseXml(text: string): Record<string, any> {
  return parser.parse(text, true) as Record<string, any>;
}
