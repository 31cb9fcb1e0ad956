import { expect } from 'chai';
import { intakeBody } from '../support/factories.js';
import { freshIp, request } from '../support/http.js';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  pattern?: string;
  [key: string]: unknown;
}

interface Operation {
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  parameters?: { name: string; in: string; required?: boolean }[];
}

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** Every public path of DESIGN.md implemented so far, in OpenAPI form. */
const EXPECTED_OPERATIONS: readonly [string, string][] = [
  ['post', '/api/auth/login'],
  ['get', '/api/users'],
  ['post', '/api/users'],
  ['get', '/api/users/{id}'],
  ['patch', '/api/users/{id}'],
  ['post', '/api/users/me/password'],
  ['get', '/api/units'],
  ['get', '/api/units/{code}'],
  ['post', '/api/cases'],
  ['get', '/api/cases'],
  ['get', '/api/cases/{id}'],
  ['post', '/api/public/mailbox'],
  ['get', '/api/public/cases/{caseNo}'],
  ['get', '/api/channels'],
  ['put', '/api/channels/{channel}'],
  ['post', '/api/channels/{channel}/webhook'],
  ['get', '/healthz'],
  ['get', '/readyz'],
  ['get', '/metrics'],
  ['get', '/api/openapi.json'],
];

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

async function fetchDocument(): Promise<OpenApiDocument> {
  const res = await request<OpenApiDocument>('GET', '/api/openapi.json');
  if (res.status !== 200) throw new Error(`openapi.json: ${res.status} ${res.text}`);
  return res.body;
}

function operations(doc: OpenApiDocument): [string, string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.has(method))
      .map(([method, op]): [string, string, Operation] => [method, path, op]),
  );
}

/** Every `pattern` in a schema, with where it was found. */
function patternsOf(schema: JsonSchema, at = ''): [string, string][] {
  const own: [string, string][] = typeof schema.pattern === 'string' ? [[at, schema.pattern]] : [];
  const children = Object.entries(schema.properties ?? {}).flatMap(([name, child]) => patternsOf(child, at ? `${at}.${name}` : name));
  return [...own, ...children];
}

function valueAt(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);
}

describe('the OpenAPI document (GET /api/openapi.json)', () => {
  it('when fetched without a token, then it is an OpenAPI 3.1 document in JSON', async () => {
    const res = await request<OpenApiDocument>('GET', '/api/openapi.json');

    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    expect(res.body.openapi).to.match(/^3\.1\.\d+$/);
    expect(res.body.info.title).to.be.a('string').and.not.equal('');
    expect(res.body.paths).to.be.an('object');
  });

  it('when read, then every route implemented so far is listed with its method', async () => {
    const doc = await fetchDocument();

    const listed = new Set(operations(doc).map(([method, path]) => `${method} ${path}`));
    const missing = EXPECTED_OPERATIONS.map(([method, path]) => `${method} ${path}`).filter((op) => !listed.has(op));

    expect(missing).to.deep.equal([]);
  });

  it('when a listed operation is called, then the server does not answer "no such route" (the document lists only real routes)', async () => {
    const doc = await fetchDocument();

    const unserved: string[] = [];
    for (const [method, path] of operations(doc)) {
      const concrete = path
        .replace('{id}', '00000000-0000-4000-8000-000000000000')
        .replace('{code}', '3713')
        .replace('{caseNo}', '202601010000001')
        .replace('{channel}', 'web_qa');
      const res = await request(method.toUpperCase(), concrete, method === 'get' ? { ip: freshIp() } : { raw: '{}', ip: freshIp() });
      if (res.status === 404 && res.body?.error?.message === 'Route not found') unserved.push(`${method} ${path}`);
    }

    expect(unserved).to.deep.equal([]);
  });

  it('when read, then every operation documents its responses, each with a description', async () => {
    const doc = await fetchDocument();

    const incomplete = operations(doc)
      .filter(([, , op]) => {
        const responses = Object.entries(op.responses ?? {});
        return responses.length === 0 || responses.some(([status, r]) => !/^([1-5]\d\d|default)$/.test(status) || typeof r.description !== 'string');
      })
      .map(([method, path]) => `${method} ${path}`);

    expect(incomplete).to.deep.equal([]);
  });

  it('when read, then every $ref points at a schema the document defines', async () => {
    const doc = await fetchDocument();

    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] ?? '');
    const dangling = [...new Set(refs)].filter((name) => !(name in doc.components.schemas));

    expect(refs.length).to.be.greaterThan(0);
    expect(dangling).to.deep.equal([]);
  });

  it('when read, then POST /api/cases requires channel, type, content and citizen and refuses other properties', async () => {
    const doc = await fetchDocument();

    const schema = doc.paths['/api/cases']?.post?.requestBody?.content?.['application/json']?.schema;

    expect(schema, 'POST /api/cases has a JSON request body').to.be.an('object');
    expect(schema?.required).to.include.members(['channel', 'type', 'content', 'citizen']);
    expect(schema?.additionalProperties).to.equal(false);
    expect(schema?.properties).to.include.all.keys('channel', 'type', 'content', 'citizen', 'receivedAt', 'divisionCode');
    expect(schema?.properties).to.not.have.any.keys('status', 'assignedUnit', 'deadlines', 'id', 'caseNo');
  });

  it('when a valid intake body is checked against the documented patterns, then every pattern accepts it', async () => {
    const doc = await fetchDocument();
    const schema = doc.paths['/api/cases']?.post?.requestBody?.content?.['application/json']?.schema ?? {};
    const body = intakeBody({ category: '市政设施', divisionCode: '371325105' });

    const refused = patternsOf(schema)
      .filter(([path]) => typeof valueAt(body, path) === 'string')
      .filter(([path, pattern]) => !new RegExp(pattern, 'u').test(String(valueAt(body, path))))
      .map(([path, pattern]) => `${path}: ${pattern}`);

    // A client validating with the document must accept what the server accepts (the server took this body: see intake tests).
    expect(refused).to.deep.equal([]);
  });

  it('when read, then the path parameters of /api/cases/{id} and the query parameters of GET /api/cases are described', async () => {
    const doc = await fetchDocument();

    const byId = doc.paths['/api/cases/{id}']?.get?.parameters ?? [];
    const list = doc.paths['/api/cases']?.get?.parameters ?? [];

    expect(byId).to.deep.include({ ...byId.find((p) => p.name === 'id'), name: 'id', in: 'path', required: true });
    expect(list.filter((p) => p.in === 'query').map((p) => p.name)).to.include.members(['status', 'unit', 'q', 'limit', 'cursor']);
  });
});
