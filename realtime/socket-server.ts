import type http from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import { Server, type ExtendedError, type Socket } from 'socket.io';
import { verifyAccessToken, type StaffPrincipal } from '../api/auth/token.js';
import type { Pool } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { UnitDirectory } from '../models/unit-directory.js';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from './events.js';
import { CENTRE_ROOM, unitRoom } from './rooms.js';
import { trackListener } from './track.js';

/** The typed Socket.IO server of this API. */
export type HubServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** What the socket server needs from the API process. */
export interface SocketServerDeps {
  readonly pool: Pool;
  /** Publishes to the adapter's stream; the adapter duplicates it for its blocking reads. */
  readonly redis: Redis;
  readonly units: UnitDirectory;
  readonly jwtSecret: string;
  readonly log: Logger;
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

/** A socket-less Socket.IO node that only emits. */
export interface Publisher {
  readonly io: HubServer;
  close(): Promise<void>;
}

function streamsAdapter(redis: Redis): ReturnType<typeof createAdapter> {
  return createAdapter(redis, {
    streamName: 'hotline:socket.io',
    // Room for a recovery window's worth of events at a busy hour.
    maxLen: 20_000,
    // Bounds how long a closed adapter's reader lingers before it notices.
    blockTimeInMs: 1_000,
    onlyPlaintext: true,
  });
}

/**
 * A Socket.IO node with no sockets of its own, for the outbox relay to emit through. An emit on
 * a node reaches that node's sockets at once and the other nodes' through the stream; had the
 * relay emitted on its own process's node, that node's sockets could get a case's row 9 before
 * its row 8, emitted by another process a moment earlier, was read from the stream (the
 * contention test caught it). Through a node without sockets, every process delivers every row
 * from the stream, in the stream's order, which the relay keeps to commit order per case.
 */
export function createPublisher(redis: Redis): Publisher {
  const io: HubServer = new Server({ adapter: streamsAdapter(redis) });
  return {
    io,
    // Not attached to an HTTP server, so there is no engine for io.close() to close: only the adapter.
    close: async () => {
      await io.of('/').adapter.close();
    },
  };
}

/**
 * Attaches Socket.IO to the API's HTTP server. The Redis Streams adapter shares broadcasts between
 * API processes and, unlike the pub/sub adapter, keeps them in a stream: connection-state recovery
 * replays what a socket missed during a short drop, whichever process it reconnects to.
 */
export function attachSocketServer(httpServer: http.Server, deps: SocketServerDeps): RealtimeServer {
  const io: HubServer = new Server(httpServer, {
    adapter: streamsAdapter(deps.redis),
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
    },
  };
}
