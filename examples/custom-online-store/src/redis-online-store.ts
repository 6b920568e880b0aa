import {
  EntityKeySerializationError,
  OnlineStore,
  OnlineStoreError,
  ValueConversionError,
  ValueProto,
  type Entity,
  type EntityKeyProto,
  type FeatureView,
  type OnlineReadResult,
  type OnlineWriteRow,
  type ProgressCallback,
  type RepoConfig,
} from '@feast-ts/core';
import type { RedisOnlineStoreConfig } from './config.js';
import { RedisConnections, scanKeys, type BinaryRedisClient } from './connections.js';
import { toStoreError } from './errors.js';
import { entityRedisKey, featureField, projectKeyPattern, timestampField } from './keys.js';

/** Keys asked for per SCAN step while deleting a view's fields. */
const SCAN_COUNT = 1000;

/** Adds where a bad row or key was found to core's conversion errors. */
function withContext(err: unknown, context: string): unknown {
  if (err instanceof EntityKeySerializationError) return new EntityKeySerializationError(`${context}: ${err.message}`, err);
  if (err instanceof ValueConversionError) return new ValueConversionError(`${context}: ${err.message}`, err);
  return err;
}

// #region class
/**
 * A feast-ts online store on Redis, laid out like Feast's Redis store: one
 * hash per (project, entity key), holding every feature view of that entity.
 *
 * - key: `<key_prefix><project>:<serialized entity key>`
 * - field `<view>:<feature>`: the feature's `feast.types.Value` protobuf bytes
 * - field `_ts:<view>`: the view's event timestamp, epoch milliseconds as text
 *
 * Writes are one MULTI/EXEC per {@link onlineWriteBatch} call; reads are one
 * pipelined HMGET per distinct key, sent in a single round trip.
 */
export class RedisOnlineStore extends OnlineStore<RedisOnlineStoreConfig> {
  readonly #connections = new RedisConnections();
  // #endregion class

  // #region infrastructure
  /**
   * Redis needs no tables: a hash appears on its first write. So `update`
   * only removes what belongs to the views being deleted. Running it twice
   * changes nothing.
   */
  override async update(
    config: RepoConfig<RedisOnlineStoreConfig>,
    tablesToDelete: readonly FeatureView[],
    _tablesToKeep: readonly FeatureView[],
    _entitiesToDelete: readonly Entity[],
    _entitiesToKeep: readonly Entity[],
    _partial: boolean,
  ): Promise<void> {
    await this.#deleteViews(config, tablesToDelete);
  }

  /** Deletes these views' fields from every entity hash of the project (a hash left empty disappears). */
  override async teardown(
    config: RepoConfig<RedisOnlineStoreConfig>,
    tables: readonly FeatureView[],
    _entities: readonly Entity[],
  ): Promise<void> {
    await this.#deleteViews(config, tables);
  }
  // #endregion infrastructure

  // #region write
  /**
   * Upserts the rows in one MULTI/EXEC transaction. Every row is encoded
   * before anything is sent, so a bad key or value fails the call with
   * nothing written; Redis then applies the queued HSETs together, with no
   * other client's command in between.
   */
  override async onlineWriteBatch(
    config: RepoConfig<RedisOnlineStoreConfig>,
    table: FeatureView,
    data: readonly OnlineWriteRow[],
    progress?: ProgressCallback,
  ): Promise<void> {
    if (data.length === 0) return;
    const { key_prefix: prefix, url } = config.onlineStore;
    const hashes = data.map(([entityKey, features, eventTs], i) => {
      const context = `Row ${i} written to feature view "${table.name}"`;
      try {
        const key = entityRedisKey(prefix, config.project, entityKey, config.entityKeySerializationVersion);
        if (!(eventTs instanceof Date) || Number.isNaN(eventTs.getTime())) {
          throw new ValueConversionError('the event timestamp must be a valid Date');
        }
        const fields: Record<string, string | Buffer> = { [timestampField(table.name)]: String(eventTs.getTime()) };
        for (const [name, value] of Object.entries(features)) {
          fields[featureField(table.name, name)] = Buffer.from(ValueProto.encode(value));
        }
        return { key, fields };
      } catch (err) {
        throw withContext(err, context);
      }
    });

    const client = await this.#client(config);
    const transaction = client.multi();
    for (const { key, fields } of hashes) transaction.hSet(key, fields);
    try {
      await transaction.exec();
    } catch (err) {
      throw toStoreError(err, `write ${data.length} rows of "${table.name}"`, url);
    }
    progress?.(data.length);
  }
  // #endregion write

  // #region read
  /**
   * Reads each distinct entity key with one HMGET of the view's timestamp
   * field and the wanted feature fields; all HMGETs go out as one pipeline.
   * Results follow `entityKeys`, duplicates included; `[null, null]` for an
   * entity that has no data in this view.
   */
  override async onlineRead(
    config: RepoConfig<RedisOnlineStoreConfig>,
    table: FeatureView,
    entityKeys: readonly EntityKeyProto[],
    requestedFeatures?: readonly string[],
  ): Promise<OnlineReadResult[]> {
    if (entityKeys.length === 0) return [];
    const names = [...new Set(requestedFeatures ?? table.features.map((f) => f.name))];
    if (names.length === 0) return entityKeys.map((): OnlineReadResult => [null, null]);
    const { key_prefix: prefix, url } = config.onlineStore;

    // One HMGET per distinct key; remember which input position reads which.
    const distinct = new Map<string, { key: Buffer; index: number }>();
    const positions = entityKeys.map((entityKey, i) => {
      let key: Buffer;
      try {
        key = entityRedisKey(prefix, config.project, entityKey, config.entityKeySerializationVersion);
      } catch (err) {
        throw withContext(err, `Entity key ${i} read from feature view "${table.name}"`);
      }
      const id = key.toString('hex');
      let entry = distinct.get(id);
      if (!entry) distinct.set(id, (entry = { key, index: distinct.size }));
      return entry.index;
    });

    const fields = [timestampField(table.name), ...names.map((name) => featureField(table.name, name))];
    const client = await this.#client(config);
    const pipeline = client.multi();
    for (const { key } of distinct.values()) pipeline.hmGet(key, fields);
    let replies: unknown[];
    try {
      replies = await pipeline.execAsPipeline();
    } catch (err) {
      throw toStoreError(err, `read ${distinct.size} keys of "${table.name}"`, url);
    }

    const decoded = replies.map((reply) => this.#decode(reply as Array<Buffer | null>, names, table.name));
    const handedOut = new Set<number>();
    return positions.map((index): OnlineReadResult => {
      const [ts, features] = decoded[index]!;
      if (features === null || !handedOut.has(index)) {
        handedOut.add(index);
        return [ts, features];
      }
      return [ts, { ...features }]; // a repeated key gets its own object
    });
  }
  // #endregion read

  /** Disconnects from Redis. The store connects again on its next call. */
  override async close(): Promise<void> {
    await this.#connections.closeAll();
  }

  async #client(config: RepoConfig<RedisOnlineStoreConfig>): Promise<BinaryRedisClient> {
    return this.#connections.get(config.onlineStore);
  }

  /** One HMGET reply (timestamp, then the features in `names` order) as a read result. */
  #decode(reply: Array<Buffer | null>, names: string[], view: string): OnlineReadResult {
    const [ts, ...values] = reply;
    const features: Record<string, ValueProto> = {};
    let found = false;
    values.forEach((bytes, i) => {
      if (bytes === null || bytes === undefined) return;
      const name = names[i]!;
      try {
        features[name] = ValueProto.decode(bytes);
      } catch (err) {
        throw new ValueConversionError(`Feature "${name}" of view "${view}" in Redis is not a feast.types.Value: ${(err as Error).message}`, err);
      }
      found = true;
    });
    if (!found) return [null, null];
    return [ts ? this.#parseTimestamp(ts, view) : null, features];
  }

  #parseTimestamp(bytes: Buffer, view: string): Date {
    const ms = Number(bytes.toString('utf8'));
    if (!Number.isFinite(ms)) {
      throw new OnlineStoreError('query_failed', `Field ${timestampField(view)} in Redis holds "${bytes.toString('utf8')}", not epoch milliseconds.`);
    }
    return new Date(ms);
  }

  /** HDELs the views' fields from every hash of the project, one SCAN batch per pipeline. */
  async #deleteViews(config: RepoConfig<RedisOnlineStoreConfig>, views: readonly FeatureView[]): Promise<void> {
    if (views.length === 0) return;
    const fields = views.flatMap((view) => [
      timestampField(view.name),
      ...view.features.map((feature) => featureField(view.name, feature.name)),
    ]);
    const { key_prefix: prefix, url } = config.onlineStore;
    const client = await this.#client(config);
    try {
      for await (const keys of scanKeys(client, projectKeyPattern(prefix, config.project), SCAN_COUNT)) {
        if (keys.length === 0) continue;
        const pipeline = client.multi();
        for (const key of keys) pipeline.hDel(key, fields);
        await pipeline.execAsPipeline();
      }
    } catch (err) {
      throw toStoreError(err, `delete the fields of ${views.map((v) => `"${v.name}"`).join(', ')}`, url);
    }
  }
}
