import type Joi from 'joi';
import joiToJson from 'joi-to-json';
import type { RouteSpec } from '../http/route.js';
import { COMPONENT_SCHEMAS } from './components.js';

type JsonSchema = Record<string, unknown>;

// The package is CommonJS (`module.exports = parse`) while its typings declare an ES default export.
const parseJoi = joiToJson as unknown as (schema: Joi.Schema, mode: 'open-api-3.1') => JsonSchema;

// joi-to-json strips a regex's slashes but keeps its flags ("^…$/u"), which then matches nothing:
// a JSON Schema pattern has no flags (validators apply Unicode semantics themselves). A regex's
// source escapes every '/', so an unescaped '/' before trailing letters can only be the flags.
function withoutRegexFlags(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRegexFlags);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, key === 'pattern' && typeof v === 'string' ? v.replace(/(?<!\\)\/[dgimsuvy]+$/, '') : withoutRegexFlags(v)]),
  );
}

function toSchema(schema: Joi.Schema): JsonSchema {
  return withoutRegexFlags(parseJoi(schema, 'open-api-3.1')) as JsonSchema;
}

function parametersOf(spec: RouteSpec): JsonSchema[] {
  const params: JsonSchema[] = [];
  for (const [where, schema] of [['path', spec.params], ['query', spec.query]] as const) {
    if (!schema) continue;
    const json = toSchema(schema);
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries(properties)) {
      params.push({ name, in: where, required: where === 'path' || required.has(name), schema: property });
    }
  }
  return params;
}

const jsonContent = (schema: string | Record<string, unknown>): JsonSchema => ({
  'application/json': { schema: typeof schema === 'string' ? { $ref: `#/components/schemas/${schema}` } : schema },
});

// Any route may meet PostgreSQL or Redis out of reach; the error handler answers it the same everywhere.
const UNAVAILABLE: JsonSchema = {
  description: 'PostgreSQL or Redis is out of reach; nothing was stored. Retry after the given seconds.',
  headers: { 'Retry-After': { schema: { type: 'integer' } } },
  content: jsonContent('Error'),
};

// Every operation can fail unexpectedly (500, or 413/400 for a body it never reads): `default`
// says in which format, so that generated clients can type their errors.
function responsesOf(spec: RouteSpec): JsonSchema {
  const declared = Object.entries(spec.responses).map(([status, schema]) => [status, { description: Number(status) < 400 ? 'Success' : 'Error', content: jsonContent(schema) }]);
  return Object.fromEntries([['503', UNAVAILABLE], ...declared, ['default', { description: 'Unexpected error', content: jsonContent(spec.errorSchema ?? 'Error') }]]);
}

/** Builds the OpenAPI 3.1 document from the specs of the routes this process mounts. */
export function buildOpenApi(routes: readonly RouteSpec[]): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of routes) {
    const operation: JsonSchema = {
      operationId: spec.operationId,
      tags: [spec.tag],
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      security: spec.access === 'public' ? [] : [{ bearerAuth: [] }],
      'x-roles': spec.access,
      parameters: parametersOf(spec),
      responses: responsesOf(spec),
    };
    if (spec.body) operation.requestBody = { required: true, content: { 'application/json': { schema: toSchema(spec.body) } } };
    paths[spec.path] = { ...paths[spec.path], [spec.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Hotline Hub API', version: '1.0.0', description: "A city's unified citizen hotline (12345) and online petitions." },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } }, schemas: COMPONENT_SCHEMAS },
    paths,
  };
}
