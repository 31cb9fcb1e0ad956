import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type Joi from 'joi';
import { badRequest, forbidden } from '../../errors.js';
import type { Role, StaffPrincipal } from '../auth/token.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call a route: anyone, any signed-in staff member, or the listed roles. */
export type Access = 'public' | 'staff' | readonly Role[];

/** The validated parts of a request, as the handler sees them. */
export interface RouteInput<B, Q, P> {
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  readonly user: StaffPrincipal | undefined;
  readonly req: Request;
  readonly res: Response;
}

/** A route's contract: everything the OpenAPI document says about it, and its handler. */
export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  readonly method: Method;
  readonly path: string;
  /** Stable and unique across the API: generated clients name their methods after it. */
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly access: Access;
  readonly body?: Joi.Schema<B>;
  readonly query?: Joi.Schema<Q>;
  readonly params?: Joi.Schema<P>;
  readonly status?: number;
  /** The component every unexpected error of this route is answered with; `Error` unless said. */
  readonly errorSchema?: string;
  /** Response schemas by status, named components of the OpenAPI document or inline JSON schema. */
  readonly responses: Readonly<Record<number, string | Record<string, unknown>>>;
  /** Extra middleware run after authentication and before validation (rate limits, raw-body checks). */
  readonly before?: readonly RequestHandler[];
  /** Returns the response body, or undefined when it wrote the response itself. */
  readonly handler: (input: RouteInput<B, Q, P>) => Promise<unknown> | unknown;
}

/** Specs of every route mounted in this process, for the OpenAPI document. */
export const routeRegistry: RouteSpec[] = [];

/** A route served by something other than defineRoute (pages, metrics), listed for OpenAPI. */
export function describeRoute(spec: Omit<RouteSpec, 'handler'>): void {
  routeRegistry.push({ ...spec, handler: () => undefined });
}

const VALIDATION_OPTIONS: Joi.ValidationOptions = { abortEarly: false, stripUnknown: false, convert: true };

function check<T>(schema: Joi.Schema<T> | undefined, value: unknown, where: string): T {
  if (!schema) return value as T;
  const { value: valid, error } = schema.validate(value, VALIDATION_OPTIONS);
  if (error) {
    throw badRequest(
      `Invalid ${where}`,
      error.details.map((d) => ({ path: [where, ...d.path].join('.'), message: d.message, type: d.type })),
    );
  }
  return valid;
}

function allowed(access: Access, user: StaffPrincipal | undefined): boolean {
  if (access === 'public') return true;
  if (!user) return false;
  return access === 'staff' || access.includes(user.role);
}

/** Mounts a route on `router` with access control and Joi validation, and registers it for OpenAPI. */
export function defineRoute<B, Q, P>(router: Router, authenticate: RequestHandler, spec: RouteSpec<B, Q, P>): void {
  if (!routeRegistry.some((r) => r.method === spec.method && r.path === spec.path)) {
    routeRegistry.push(spec as RouteSpec);
  }
  const guard = (req: Request, _res: Response, next: NextFunction): void => {
    if (!allowed(spec.access, req.user)) throw forbidden(`This action needs the role ${String(spec.access)}`);
    next();
  };
  const handle = async (req: Request, res: Response): Promise<void> => {
    const input: RouteInput<B, Q, P> = {
      params: check(spec.params, req.params, 'params'),
      query: check(spec.query, req.query, 'query'),
      body: spec.body ? check(spec.body, req.body ?? {}, 'body') : (undefined as B),
      user: req.user,
      req,
      res,
    };
    const result = await spec.handler(input);
    if (result !== undefined && !res.headersSent) res.status(spec.status ?? 200).json(result);
  };
  const chain: RequestHandler[] = spec.access === 'public' ? [] : [authenticate, guard];
  router[spec.method](toExpressPath(spec.path), ...chain, ...(spec.before ?? []), handle);
}

/** Converts the OpenAPI form `/api/cases/{id}` to Express's `/api/cases/:id`. */
export function toExpressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}
