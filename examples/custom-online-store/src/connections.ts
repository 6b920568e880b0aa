import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { NatsKvOnlineStoreConfig } from './config.js';
import { toStoreError } from './errors.js';

/**
 * The connections of one store instance: one per url, connected on first
 * use, reused by every call, and replaced once it has closed (the client
 * reconnects on its own after a dropped socket, then gives up and closes).
 * {@link closeAll} releases them all.
 */
export class NatsConnections {
  readonly #connections = new Map<string, Promise<NatsConnection>>();

  /** The connection for this config's url, connecting on first use. */
  async get(config: NatsKvOnlineStoreConfig): Promise<NatsConnection> {
    const pending = this.#connections.get(config.url);
    if (pending) {
      const nc = await pending.catch(() => undefined);
      if (nc && !nc.isClosed()) return nc;
      this.#connections.delete(config.url);
    }
    const connecting = this.#connect(config);
    this.#connections.set(config.url, connecting);
    connecting.catch(() => this.#connections.delete(config.url));
    return connecting;
  }

  async #connect(config: NatsKvOnlineStoreConfig): Promise<NatsConnection> {
    try {
      return await connect({
        servers: config.url.split(','),
        timeout: config.timeout_ms,
        name: 'feast-ts nats-kv online store',
        // Try each server once; afterwards the client reconnects on its own, a few times.
        maxReconnectAttempts: 3,
        reconnectTimeWait: 200,
      });
    } catch (err) {
      throw toStoreError(err, 'connect', config.url);
    }
  }

  /** Drains and closes every connection (pending replies arrive first). The next call connects again. */
  async closeAll(): Promise<void> {
    const pending = [...this.#connections.values()];
    this.#connections.clear();
    for (const p of pending) {
      const nc = await p.catch(() => undefined);
      if (nc && !nc.isClosed()) await nc.drain().catch(() => nc.close());
    }
  }
}
