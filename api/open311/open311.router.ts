import express, { Router } from 'express';
import type { ApiContext } from '../context.js';
import { limitRate, RATE_LIMITS } from '../http/rate-limit.js';
import { defineRequestRoutes } from './open311-requests.js';
import { defineServiceRoutes } from './open311-services.js';
import { defineSubscriptionRoutes } from './open311-subscriptions.js';

/**
 * Open311 GeoReport v2 at /open311: discovery, services, requests and the extensions (updates,
 * subscriptions). The application mounts open311Fallbacks after every router, so that errors
 * raised before these routes (a broken body) are answered in the spec's format too.
 */
export function open311Router(ctx: ApiContext): Router {
  const router = Router();
  // The spec's POST bodies are form-encoded; JSON is parsed by the application already.
  router.use('/open311', express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 }));
  const rate = limitRate(ctx.redis, RATE_LIMITS.open311);
  defineServiceRoutes(router, ctx, rate);
  defineRequestRoutes(router, ctx, rate);
  defineSubscriptionRoutes(router, ctx, rate);
  return router;
}
