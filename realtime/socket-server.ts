import type http from 'node:http';
import type { Redis } from 'ioredis';
import { Server, type ExtendedError } from 'socket.io';
import { verifyAccessToken, type StaffPrincipal, type VerifiedToken } from '../api/auth/token.js';
import type { TokenStates } from '../api/auth/token-states.js';
import type { Pool } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { UnitDirectory } from '../models/org/unit-directory.js';
import { createPublisher, nodeRedis, streamsAdapter, type HubServer, type HubSocket, type Publisher } from './cluster.js';
import { CENTRE_ROOM, unitRoom, userRoom } from './rooms.js';
import { trackListener } from './track.js';
import type { QueryCodeGuard } from '../api/public/query-code-guard.js';

/** What the socket server needs from the API process. */
export interface SocketServerDeps {
  readonly pool: Pool;
  /** Counts track attempts; the socket nodes open their own connections from it. */
  readonly redis: Redis;
  readonly units: UnitDirectory;
  readonly jwtSecret: string;
  /** Whether the account behind a token still stands (enabled, unchanged). */
  readonly tokenStates: TokenStates;
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

function unauthenticatedError(message = 'Invalid or expired access token'): ExtendedError {
  const error: ExtendedError = new Error('unauthenticated');
  error.data = { code: 'unauthenticated', message };
  return error;
}

const samePrincipal = (a: StaffPrincipal, b: StaffPrincipal): boolean => a.id === b.id && a.role === b.role && a.unitCode === b.unitCode;

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

  // Connection-state recovery gives a socket back its rooms and data before this runs: a staff
  // session is resumed only with a valid token of the same account, role and unit; else the
  // connection is refused (and leaves the restored rooms), and the client connects afresh.
  io.use(async (socket, next) => {
    const token: unknown = socket.handshake.auth.token;
    const resumed = socket.recovered ? socket.data.principal : undefined;
    try {
      if (token === undefined) {
        // No token: a citizen, who may only track cases by number and code.
        if (resumed) throw unauthenticatedError('A staff session resumes only with a valid access token');
        return next();
      }
      if (typeof token !== 'string') throw unauthenticatedError();
      let verified: VerifiedToken;
      try {
        verified = verifyAccessToken(token, deps.jwtSecret);
      } catch {
        throw unauthenticatedError();
      }
      await deps.tokenStates.assertCurrent(verified).catch((error: Error) => {
        throw unauthenticatedError(error.message);
      });
      const principal: StaffPrincipal = { id: verified.id, username: verified.username, role: verified.role, unitCode: verified.unitCode };
      if (resumed && !samePrincipal(resumed, principal)) throw unauthenticatedError('The resumed session belongs to another account or role; connect afresh');
      socket.data.principal = principal;
      socket.data.expiresAt = verified.expiresAt;
      next();
    } catch (error) {
      next(error as ExtendedError);
    }
  });

  io.on('connection', (socket: HubSocket) => {
    const { principal, expiresAt } = socket.data;
    if (principal) {
      // A recovered socket of a citizen that now signs in keeps none of its case rooms; a resumed
      // staff socket (same account, role and unit) has its rooms back, and joining again is harmless.
      for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
      void socket.join([...staffRooms(principal), userRoom(principal.id)]);
      // The socket lives no longer than its token; a disabled or changed account is cut through userRoom.
      const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, (expiresAt ?? 0) * 1000 - Date.now()));
      socket.once('disconnect', () => clearTimeout(expiry));
    }
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
