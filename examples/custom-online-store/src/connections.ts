import { createClient, RESP_TYPES, type RedisClientType, type RedisDefaultModules } from 'redis';
import type { RedisOnlineStoreConfig } from './config.js';
import { toStoreError } from './errors.js';

/** Reconnect attempts after a dropped connection (or a failed first connect) before calls fail. */
const MAX_RECONNECTS = 3;

/** Replies as bytes (values are protobuf), not as UTF-8 strings. */
type BinaryReplies = { [RESP_TYPES.BLOB_STRING]: BufferConstructor };

/** A client whose string replies are Buffers. */
export type BinaryRedisClient = RedisClientType<RedisDefaultModules, {}, {}, 2, BinaryReplies>;

function newClient(config: RedisOnlineStoreConfig): BinaryRedisClient {
  return createClient({
    url: config.url,
    RESP: 2, // the protocol every Redis version speaks
    socket: {
      connectTimeout: config.connect_timeout_ms,
      // Back off 100, 200, 400 ms; then give up, so a call fails instead of hanging.
      reconnectStrategy: (retries, cause) => (retries >= MAX_RECONNECTS ? cause : 100 * 2 ** retries),
    },
  }).withTypeMapping<BinaryReplies>({ [RESP_TYPES.BLOB_STRING]: Buffer });
}

/**
 * The connections of one store instance: one client per url, connected on
 * first use, reused by every call, and replaced when it has given up
 * reconnecting. {@link close} releases them all.
 */
export class RedisConnections {
  readonly #clients = new Map<string, Promise<BinaryRedisClient>>();

  /** The client for this config's url, connecting it on first use. */
  async get(config: RedisOnlineStoreConfig): Promise<BinaryRedisClient> {
    const pending = this.#clients.get(config.url);
    if (pending) {
      const client = await pending.catch(() => undefined);
      if (client?.isOpen) return client;
      this.#clients.delete(config.url);
    }
    const connecting = this.#connect(config);
    this.#clients.set(config.url, connecting);
    connecting.catch(() => this.#clients.delete(config.url));
    return connecting;
  }

  async #connect(config: RedisOnlineStoreConfig): Promise<BinaryRedisClient> {
    const client = newClient(config);
    // The client reports socket errors as events; without a listener Node would crash.
    // The failure itself reaches the caller through the rejected command or connect().
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (err) {
      if (client.isOpen) client.destroy();
      throw toStoreError(err, 'connect', config.url);
    }
    return client;
  }

  /** Closes every client after its pending commands finish. The next call connects again. */
  async closeAll(): Promise<void> {
    const pending = [...this.#clients.values()];
    this.#clients.clear();
    for (const p of pending) {
      const client = await p.catch(() => undefined);
      if (client?.isOpen) await client.close().catch(() => client.destroy());
    }
  }
}

/**
 * Yields the keys matching `pattern`, one SCAN batch at a time. (The client's
 * own `scanIterator` compares the cursor with the string '0', so with replies
 * mapped to Buffers it would never stop; here the cursor is read as text.)
 */
export async function* scanKeys(client: BinaryRedisClient, pattern: string, count: number): AsyncGenerator<Buffer[]> {
  let cursor = '0';
  do {
    const reply = await client.scan(cursor, { MATCH: pattern, COUNT: count });
    cursor = String(reply.cursor);
    yield reply.keys;
  } while (cursor !== '0');
}
