import type http from 'node:http';
import type { Redis } from 'ioredis';
import { Server, type ExtendedError } from 'socket.io';
import { verifyAccessToken, type StaffPrincipal } from '../api/auth/token.js';
import type { Pool } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { UnitDirectory } from '../models/unit-directory.js';
import { createPublisher, nodeRedis, streamsAdapter, type HubServer, type HubSocket, type Publisher } from './cluster.js';
import { CENTRE_ROOM, unitRoom } from './rooms.js';
import { trackListener } from './track.js';
import type { QueryCodeGuard } from '../api/public/query-code-guard.js';

/** What the socket server needs from the API process. */
export interface SocketServerDeps {
  readonly pool: Pool;
  /** Counts track attempts; the socket nodes open their own connections from it. */
  readonly redis: Redis;
  readonly units: UnitDirectory;
  readonly jwtSecret: string;
  readonly log: Logger;
  /** The per-case count of wrong query codes, shared with the REST API. */
  readonly queryCodes: QueryCodeGuard;
  /** Origins allowed to use the long-polling transport from a browser; none unless configured. */
  readonly corsOrigins?: readonly string[];
}

/** A socket server attached to an HTTP server. */
export interface RealtimeServer {
  /** The sockets of this process. */
  readonly io: HubServer;
  /** Where the outbox relay emits (see createPublisher). */
  readonly publisher: Publisher;
  /** Disconnects every socket and leaves the cluster; the HTTP server is closed by its owner. */
  close(): Promise<void>;
}

// Citizens send a case number and a code; staff send nothing. 10 kB bounds a malicious frame.
const MAX_MESSAGE_BYTES = 10_000;
// Long enough for a phone changing networks; longer drops catch up over REST.
const RECOVERY_WINDOW_MS = 2 * 60_000;

/** The rooms a staff member listens in: handlers their unit's, everyone else the centre's. */
export function staffRooms(principal: StaffPrincipal): string[] {
  if (principal.role === 'handler') return principal.unitCode ? [unitRoom(principal.unitCode)] : [];
  return [CENTRE_ROOM];
}

function unauthenticatedError(): ExtendedError {
  const error: ExtendedError = new Error('unauthenticated');
  error.data = { code: 'unauthenticated', message: 'Invalid or expired access token' };
  return error;
}

/**
 * Attaches Socket.IO to the API's HTTP server. The Redis Streams adapter shares broadcasts between
 * API processes and, unlike the pub/sub adapter, keeps them in a stream: connection-state recovery
 * replays what a socket missed during a short drop, whichever process it reconnects to.
 */
export function attachSocketServer(httpServer: http.Server, deps: SocketServerDeps): RealtimeServer {
  const connections = nodeRedis(deps.redis, 'hotline-hub:socket-node');
  const io: HubServer = new Server(httpServer, {
    adapter: streamsAdapter(connections.client),
    // Middlewares run again on recovery: an expired or forged token does not ride a reconnect.
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false },
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    cors: deps.corsOrigins?.length ? { origin: [...deps.corsOrigins] } : undefined,
  });

  io.use((socket, next) => {
    const token: unknown = socket.handshake.auth.token;
    // No token: a citizen, who may only track cases by number and code.
    if (token === undefined) return next();
    try {
      if (typeof token !== 'string') throw unauthenticatedError();
      socket.data.principal = verifyAccessToken(token, deps.jwtSecret);
      next();
    } catch {
      next(unauthenticatedError());
    }
  });

  io.on('connection', (socket: HubSocket) => {
    const { principal } = socket.data;
    // A recovered socket has its rooms back already; joining again is harmless.
    if (principal) void socket.join(staffRooms(principal));
    socket.on('track', trackListener(deps, socket));
    if (!socket.recovered) io.to(socket.id).emit('ready', { role: principal?.role ?? 'citizen' });
  });

  const publisher = createPublisher(deps.redis);
  return {
    io,
    publisher,
    close: async () => {
      await Promise.all([io.close(), publisher.close()]);
      connections.disconnect();
    },
  };
}
