import {
  OnlineStore,
  OnlineStoreError,
  ValueConversionError,
  type Entity,
  type EntityKeyProto,
  type FeatureView,
  type OnlineReadResult,
  type OnlineWriteRow,
  type ProgressCallback,
  type RepoConfig,
} from '@feast-ts/core';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm, type KvEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsKvOnlineStoreConfig } from './config.js';
import { NatsConnections } from './connections.js';
import { toStoreError } from './errors.js';
import { bucketName, entityKvKey, streamOf, subjectOf, viewKeysFilter } from './keys.js';
import { decodeRow, encodeRow } from './row-codec.js';

/** The longest KV key accepted: a key travels in the subject of a NATS message, whose protocol line is at most 4 KiB. */
const MAX_KEY_LENGTH = 2048;

/** Adds where a bad row or key was found to core's conversion errors (a FeastError passes through toStoreError as is). */
function withContext(err: unknown, context: string): unknown {
  if (err instanceof ValueConversionError) return new ValueConversionError(`${context}: ${err.message}`, err);
  return err;
}

// #region class
/**
 * A feast-ts online store on the key-value store of NATS JetStream: one
 * bucket per project, one key per (feature view, entity key), holding the
 * whole row.
 *
 * - bucket: `<bucket_prefix><project>`, created by {@link update}
 * - key: `<view>.<entity key>`, the entity key serialized as Feast does, in base64url
 * - value: the event timestamp and each feature's `feast.types.Value` bytes
 *
 * Writes send every put of a call before awaiting any; reads get every key
 * of a call concurrently. Neither waits for one key before asking for the next.
 */
export class NatsKvOnlineStore extends OnlineStore<NatsKvOnlineStoreConfig> {
  readonly #connections = new NatsConnections();
  // #endregion class

  // #region infrastructure
  /**
   * Creates the project's bucket when there are views to keep (creating one
   * that exists opens it, so running `update` twice changes nothing), and
   * removes the keys of the views being deleted.
   */
  override async update(
    config: RepoConfig<NatsKvOnlineStoreConfig>,
    tablesToDelete: readonly FeatureView[],
    tablesToKeep: readonly FeatureView[],
    _entitiesToDelete: readonly Entity[],
    _entitiesToKeep: readonly Entity[],
    _partial: boolean,
  ): Promise<void> {
    if (tablesToKeep.length > 0) {
      const bucket = bucketName(config.onlineStore.bucket_prefix, config.project);
      const nc = await this.#connect(config);
      try {
        // One revision per key: an online store keeps the latest row, not a history.
        await this.#kvm(nc, config).create(bucket, { history: 1 });
      } catch (err) {
        throw toStoreError(err, `create the bucket "${bucket}"`, config.onlineStore.url);
      }
    }
    await this.#purgeViews(config, tablesToDelete);
  }

  /**
   * Removes the keys of these views from the project's bucket, with one
   * purge per view (a subject filter, not a key at a time). The bucket
   * itself stays, since other views may share it.
   */
  override async teardown(
    config: RepoConfig<NatsKvOnlineStoreConfig>,
    tables: readonly FeatureView[],
    _entities: readonly Entity[],
  ): Promise<void> {
    await this.#purgeViews(config, tables);
  }

  /** Purges every key of each view from the project's bucket; a bucket that does not exist has nothing to purge. */
  async #purgeViews(config: RepoConfig<NatsKvOnlineStoreConfig>, views: readonly FeatureView[]): Promise<void> {
    if (views.length === 0) return;
    const nc = await this.#connect(config);
    const bucket = bucketName(config.onlineStore.bucket_prefix, config.project);
    try {
      const jsm = await jetstreamManager(nc, { checkAPI: false, timeout: config.onlineStore.timeout_ms });
      await Promise.all(views.map((view) => jsm.streams.purge(streamOf(bucket), { filter: subjectOf(bucket, viewKeysFilter(view.name)) })));
    } catch (err) {
      if ((err as Error | null)?.name === 'StreamNotFoundError') return;
      throw toStoreError(err, `delete the keys of ${views.map((v) => `"${v.name}"`).join(', ')} from the bucket "${bucket}"`, config.onlineStore.url);
    }
  }
  // #endregion infrastructure

  // #region write
  /**
   * Puts one key per row. Every row is encoded and checked against the
   * server's size limit before anything is sent, so a bad key or value fails
   * the call with nothing written. Then all puts go out at once and are
   * awaited together. A batch that names a key twice keeps its last row.
   */
  override async onlineWriteBatch(
    config: RepoConfig<NatsKvOnlineStoreConfig>,
    table: FeatureView,
    data: readonly OnlineWriteRow[],
    progress?: ProgressCallback,
  ): Promise<void> {
    if (data.length === 0) return;
    const nc = await this.#connect(config);
    const bucket = bucketName(config.onlineStore.bucket_prefix, config.project);
    const maxPayload = nc.info?.max_payload ?? Number.POSITIVE_INFINITY;
    const rows = new Map<string, Uint8Array>(); // key -> value; a later row of the same key replaces an earlier one
    data.forEach(([entityKey, features, eventTs], i) => {
      const context = `Row ${i} written to feature view "${table.name}"`;
      let key: string;
      let value: Uint8Array;
      try {
        if (!(eventTs instanceof Date) || Number.isNaN(eventTs.getTime())) {
          throw new ValueConversionError('the event timestamp must be a valid Date');
        }
        key = this.#key(table, entityKey, config);
        value = encodeRow(eventTs, features);
      } catch (err) {
        throw withContext(err, context);
      }
      if (value.length > maxPayload) {
        throw new OnlineStoreError(
          'value_too_large',
          `${context}: the row is ${value.length} bytes, more than the ${maxPayload} bytes the NATS server accepts in one message (max_payload). Nothing of this call was written. Raise max_payload in the server's configuration, or store smaller values.`,
        );
      }
      rows.delete(key); // so the Map keeps the batch order of each key's last row
      rows.set(key, value);
    });

    const kv = await this.#kvm(nc, config).open(bucket, { allow_direct: true });
    try {
      await Promise.all([...rows].map(([key, value]) => kv.put(key, value)));
    } catch (err) {
      throw await this.#explain(nc, bucket, err, `write ${data.length} rows of "${table.name}" to the bucket "${bucket}"`, config);
    }
    progress?.(data.length);
  }
  // #endregion write

  // #region read
  /**
   * Gets each distinct key once, all concurrently, and decodes the rows.
   * Results follow `entityKeys`, duplicates included (each its own object);
   * `[null, null]` for an entity that has no row in this view.
   */
  override async onlineRead(
    config: RepoConfig<NatsKvOnlineStoreConfig>,
    table: FeatureView,
    entityKeys: readonly EntityKeyProto[],
    requestedFeatures?: readonly string[],
  ): Promise<OnlineReadResult[]> {
    if (entityKeys.length === 0) return [];
    const wanted = new Set(requestedFeatures ?? table.features.map((f) => f.name));
    const keys = entityKeys.map((entityKey, i) => {
      try {
        return this.#key(table, entityKey, config);
      } catch (err) {
        throw withContext(err, `Entity key ${i} read from feature view "${table.name}"`);
      }
    });
    const nc = await this.#connect(config);
    const bucket = bucketName(config.onlineStore.bucket_prefix, config.project);
    const kv = await this.#kvm(nc, config).open(bucket, { allow_direct: true });
    const distinct = [...new Set(keys)];
    let entries: Array<KvEntry | null>;
    try {
      entries = await Promise.all(distinct.map((key) => kv.get(key)));
    } catch (err) {
      throw await this.#explain(nc, bucket, err, `read ${distinct.length} keys of "${table.name}" from the bucket "${bucket}"`, config);
    }
    const byKey = new Map(distinct.map((key, i) => [key, entries[i]] as const));
    return keys.map((key): OnlineReadResult => {
      const entry = byKey.get(key);
      if (!entry || entry.operation !== 'PUT') return [null, null];
      try {
        return decodeRow(entry.value, wanted);
      } catch (err) {
        throw withContext(err, `Key "${key}" of the bucket "${bucket}"`);
      }
    });
  }
  // #endregion read

  /** Drains and closes the connections. The store connects again on its next call. */
  override async close(): Promise<void> {
    await this.#connections.closeAll();
  }

  async #connect(config: RepoConfig<NatsKvOnlineStoreConfig>): Promise<NatsConnection> {
    return this.#connections.get(config.onlineStore);
  }

  /** The KV API, whose requests wait `timeout_ms` for their reply. Opening a bucket with it sends nothing. */
  #kvm(nc: NatsConnection, config: RepoConfig<NatsKvOnlineStoreConfig>): Kvm {
    return new Kvm(jetstream(nc, { timeout: config.onlineStore.timeout_ms }));
  }

  #key(table: FeatureView, entityKey: EntityKeyProto, config: RepoConfig<NatsKvOnlineStoreConfig>): string {
    const key = entityKvKey(table.name, entityKey, config.entityKeySerializationVersion);
    if (key.length > MAX_KEY_LENGTH) {
      throw new OnlineStoreError(
        'invalid_identifier',
        `The KV key of this entity in "${table.name}" is ${key.length} characters; NATS keys travel in message subjects, so this store accepts at most ${MAX_KEY_LENGTH}. Use shorter entity key values.`,
      );
    }
    return key;
  }

  /**
   * The error for a failed read or write. A bucket that does not exist makes
   * NATS time out or answer "no responders", which says nothing useful; so
   * on failure ask whether the bucket is there and, when it is not, say so.
   */
  async #explain(nc: NatsConnection, bucket: string, err: unknown, action: string, config: RepoConfig<NatsKvOnlineStoreConfig>): Promise<Error> {
    const missing = await jetstreamManager(nc, { checkAPI: false, timeout: config.onlineStore.timeout_ms })
      .then((jsm) => jsm.streams.info(streamOf(bucket)))
      .then(
        () => false,
        (infoErr: unknown) => (infoErr as Error | null)?.name === 'StreamNotFoundError',
      );
    if (missing) return toStoreError(new Error(`the bucket "${bucket}" does not exist`, { cause: err }), action, config.onlineStore.url, 'table_missing');
    return toStoreError(err, action, config.onlineStore.url);
  }
}
