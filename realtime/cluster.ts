import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from './events.js';

/** The typed Socket.IO server of this API. */
export type HubServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** The Redis connections of one Socket.IO node: the one it appends with, and those its adapter opened. */
export interface NodeRedis {
  readonly client: Redis;
  /** Drops every connection at once. */
  disconnect(): void;
}

/**
 * Opens a node's own connection, and keeps hold of the ones its adapter duplicates from it: the
 * adapter lets its stream reader go only once a blocking read returns, and a read caught by a Redis
 * that is shutting down would retry for a minute, holding the process open.
 */
export function nodeRedis(base: Redis, name: string, pipelined = false): NodeRedis {
  const client = base.duplicate({ connectionName: name, enableAutoPipelining: pipelined });
  const opened: Redis[] = [client];
  const duplicate = client.duplicate.bind(client);
  client.duplicate = (override) => {
    // The adapter's stream reader: auto-pipelining would hold each read back by a turn of the event loop.
    const child = duplicate({ ...override, enableAutoPipelining: false });
    opened.push(child);
    return child;
  };
  return {
    client,
    disconnect: () => {
      for (const connection of opened) connection.disconnect();
    },
  };
}

/** The Redis Streams adapter as every node of this API uses it. */
export function streamsAdapter(redis: Redis): ReturnType<typeof createAdapter> {
  return createAdapter(redis, {
    streamName: 'hotline:socket.io',
    // Room for a recovery window's worth of events at a busy hour.
    maxLen: 20_000,
    // Bounds how long a closed adapter's reader lingers before it notices.
    blockTimeInMs: 1_000,
    onlyPlaintext: true,
  });
}

/** A socket-less Socket.IO node that only emits, and the connection its emits go through. */
export interface Publisher {
  readonly io: HubServer;
  /** The connection the adapter appends with: a PING on it returns after every earlier emit is in the stream. */
  readonly redis: Redis;
  close(): Promise<void>;
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
  // A relay batch's emits and its fence go out as one write: auto-pipelining keeps a connection's
  // commands in the order they were called, which the fence relies on.
  const connections = nodeRedis(redis, 'hotline-hub:socket-publisher', true);
  const io: HubServer = new Server({ adapter: streamsAdapter(connections.client) });
  return {
    io,
    redis: connections.client,
    // Not attached to an HTTP server, so there is no engine for io.close() to close: only the adapter.
    close: async () => {
      await io.of('/').adapter.close();
      connections.disconnect();
    },
  };
}
