import {
  DUMMY_ENTITY_ID,
  OnlineStore,
  ValueConversionError,
  ValueProto,
  setOwnProperty,
  type Entity,
  type EntityKeyProto,
  type FeatureView,
  type OnlineReadRequest,
  type OnlineReadResult,
  type OnlineWriteRow,
  type ProgressCallback,
  type RepoConfig,
  type WriteSemantics,
} from '@feast-ts/core';
import { resolveRedisConfig, type RedisOnlineStoreConfig } from './config.js';
import { DROP_VIEWS_COMMAND, RedisConnection, WRITE_NEWER_COMMAND, WRITE_NEWER_ON_NODE_COMMAND, type PipelineReplies } from './connection.js';
import { entityKeyPrefix, keyBelongsTo, redisKey, scanPattern, ViewFields } from './keys.js';
import { DROP_VIEWS_LUA, WRITE_NEWER_LUA, WRITE_NEWER_ON_NODE_LUA } from './lua.js';
import { concatFields, encodeFields, HmgetCommand, type EncodedFields } from './hmget-command.js';
import { encodeRows, newestPerKey, type EncodedRow } from './write-plan.js';
import { dateOfTimestamp, decodeTimestamp } from './timestamp.js';

/** Rows per pipeline of a write: bounds the memory of one round trip on very large batches. */
const WRITE_CHUNK = 10_000;
/** Keys asked of SCAN per page. */
const SCAN_COUNT = 1000;

/** How the write script says a stored `_ts:<view>` is not a Timestamp (see WRITE_NEWER_LUA). */
const BAD_TS_REPLY = /^FEASTTS_BAD_TS (\d+) (.*)$/s;
/** Arguments per call of the write script at most: bounds how long one call holds the server. */
const SCRIPT_ARGS = 200_000;
/**
 * Rows per call of the per-node script on a cluster. A node runs a call only
 * once all of it has arrived; several calls in one pipeline let it run one
 * while the next is still on the wire (measured: 1,000 rows a call beat one
 * call per node). A cluster call is not atomic across nodes anyway.
 */
const NODE_SCRIPT_ROWS = 1000;

/** One call of the write script: its hashes (one slot on a cluster) and ARGV. */
interface ScriptCall {
  keys: Buffer[];
  args: Array<Buffer | string>;
  /** The batch row of each key, for messages. */
  rows: number[];
}

/**
 * The calls of the write script for these rows: one per value of `slotOf`
 * (the hash slot for a cluster's per-slot calls), each split further as
 * {@link SCRIPT_ARGS} and `maxRows` require. ARGV layout as WRITE_NEWER_LUA reads it.
 */
function writeNewerCalls(
  rows: readonly EncodedRow[],
  indexes: readonly number[],
  ttl: string | undefined,
  slotOf: (key: Buffer) => number,
  maxRows = Number.POSITIVE_INFINITY,
): ScriptCall[] {
  const bySlot = new Map<number, ScriptCall[]>();
  for (let j = 0; j < rows.length; j++) {
    const { key, hsetArgs, ts } = rows[j]!;
    const slot = slotOf(key);
    let calls = bySlot.get(slot);
    if (!calls) bySlot.set(slot, (calls = []));
    let call = calls[calls.length - 1];
    if (!call || call.keys.length >= maxRows || (call.args.length + hsetArgs.length + 2 > SCRIPT_ARGS && call.keys.length > 0)) {
      calls.push((call = { keys: [], args: [hsetArgs[0]!, ttl ?? ''], rows: [] }));
    }
    call.keys.push(key);
    call.rows.push(indexes[j]!);
    call.args.push(String((hsetArgs.length - 2) / 2), String(ts.seconds), String(ts.nanos), hsetArgs[1]!);
    for (let i = 2; i < hsetArgs.length; i++) call.args.push(hsetArgs[i]!);
  }
  return [...bySlot.values()].flat();
}

/** The hash fields of one read: the requested features' fields, then `_ts:<view>`. */
interface ReadPlan {
  features: readonly string[];
  fields: Buffer[];
  /** The same fields encoded for an HMGET. */
  encoded: EncodedFields;
}

/**
 * Feast's Redis online store (`feast.infra.online_stores.redis.RedisOnlineStore`)
 * for TypeScript, on ioredis: the same keys, hash fields and bytes, so Python
 * Feast and feast-ts read each other's data. Works on a single server, a
 * Redis Cluster (`redis_type: redis_cluster`) and a master found through
 * Sentinel (`redis_type: redis_sentinel`).
 *
 * Writes follow Feast's rule (newest event time wins, see
 * {@link RedisOnlineStore.writeSemantics}); reads are one pipelined `HMGET`
 * per entity, one round trip per call (per node on a cluster).
 */
export class RedisOnlineStore extends OnlineStore<RedisOnlineStoreConfig> {
  #connections = new Map<string, RedisConnection>();
  #fields = new Map<string, ViewFields>();
  #projects = new Map<string, Buffer>();
  #lastPlans = new WeakMap<FeatureView, { requested: readonly string[] | undefined; plan: ReadPlan }>();

  #connection(config: RepoConfig<RedisOnlineStoreConfig>): RedisConnection {
    const resolved = resolveRedisConfig(config);
    let conn = this.#connections.get(resolved.identity);
    if (conn?.ended) {
      conn.client.disconnect();
      conn = undefined;
    }
    if (!conn) {
      conn = new RedisConnection(resolved, { dropViews: DROP_VIEWS_LUA, writeNewer: WRITE_NEWER_LUA, writeNewerOnNode: WRITE_NEWER_ON_NODE_LUA });
      this.#connections.set(resolved.identity, conn);
    }
    return conn;
  }

  #viewFields(view: string): ViewFields {
    let f = this.#fields.get(view);
    if (!f) {
      f = new ViewFields(view);
      if (this.#fields.size < 10_000) this.#fields.set(view, f);
    }
    return f;
  }

  #projectBytes(project: string): Buffer {
    let b = this.#projects.get(project);
    if (!b) this.#projects.set(project, (b = Buffer.from(project, 'utf8')));
    return b;
  }

  #keys(config: RepoConfig<RedisOnlineStoreConfig>, keys: readonly EntityKeyProto[]): Buffer[] {
    const project = this.#projectBytes(config.project);
    const version = config.entityKeySerializationVersion;
    return keys.map((k) => redisKey(project, k, version));
  }

  /**
   * `newest-event-wins` (Feast's rule: a row not newer than the stored one,
   * or than an earlier row of its key in the batch, is skipped), or
   * `last-write-wins` with `skip_dedup: true`.
   */
  override writeSemantics(config: RepoConfig<RedisOnlineStoreConfig>): WriteSemantics {
    return resolveRedisConfig(config).config.skip_dedup ? 'last-write-wins' : 'newest-event-wins';
  }

  /**
   * Creates nothing (Redis needs no tables). With `full_scan_for_deletion`
   * (the default), removes the data of `tablesToDelete` as {@link teardown} does.
   */
  async update(
    config: RepoConfig<RedisOnlineStoreConfig>,
    tablesToDelete: readonly FeatureView[],
    _tablesToKeep: readonly FeatureView[],
    _entitiesToDelete: readonly Entity[],
    _entitiesToKeep: readonly Entity[],
    _partial: boolean,
  ): Promise<void> {
    const { config: cfg } = resolveRedisConfig(config);
    if (cfg.full_scan_for_deletion !== false && tablesToDelete.length > 0) await this.#dropViews(config, tablesToDelete);
  }

  /**
   * Removes these views' data: from every hash of the project holding one of
   * them, their fields (`HDEL`), and the hash when no other view is left in
   * it. Finds the hashes with `SCAN` (every master of a cluster), never `KEYS`.
   */
  async teardown(config: RepoConfig<RedisOnlineStoreConfig>, tables: readonly FeatureView[], _entities: readonly Entity[]): Promise<void> {
    if (tables.length > 0) await this.#dropViews(config, tables);
  }

  async #dropViews(config: RepoConfig<RedisOnlineStoreConfig>, views: readonly FeatureView[]): Promise<void> {
    const conn = this.#connection(config);
    const version = config.entityKeySerializationVersion;
    const project = this.#projectBytes(config.project);
    // Views keyed by the same join keys live in the same hashes: one scan for all of them.
    const byJoinKeys = new Map<string, FeatureView[]>();
    for (const v of views) {
      const jk = JSON.stringify(v.isEntityless ? [DUMMY_ENTITY_ID] : [...v.joinKeys].sort());
      byJoinKeys.set(jk, [...(byJoinKeys.get(jk) ?? []), v]);
    }
    const names = views.map((v) => v.name).join(', ');
    try {
      await conn.ready();
      for (const [jk, group] of byJoinKeys) {
        const joinKeys = JSON.parse(jk) as string[];
        const prefix = entityKeyPrefix(joinKeys, version);
        const pattern = scanPattern(prefix, project);
        const args: Buffer[] = [Buffer.from(String(group.length))];
        for (const v of group) args.push(this.#viewFields(v.name).ts);
        for (const v of group) {
          const f = this.#viewFields(v.name);
          for (const feature of v.features) args.push(f.field(feature.name));
        }
        for (const node of conn.masters()) {
          let cursor = '0';
          do {
            const [next, found] = (await node.callBuffer('SCAN', cursor, 'MATCH', pattern, 'COUNT', String(SCAN_COUNT))) as [Buffer, Buffer[]];
            cursor = next.toString();
            const keys = found.filter((k) => keyBelongsTo(k, prefix, joinKeys.length, project));
            if (keys.length > 0) {
              await conn.batch(keys, (p, i) => {
                p[DROP_VIEWS_COMMAND](keys[i]!, ...args);
              });
            }
          } while (cursor !== '0');
        }
      }
    } catch (err) {
      throw conn.fail(err, 'delete the data of', names);
    }
  }

  /**
   * Writes rows with Feast's rule (unless `skip_dedup`) in one round trip:
   * of the rows of a key in the batch, the newest is sent, as one call of a
   * Lua script that compares it with the stored `_ts:<view>` and `HSET`s it
   * (and `EXPIRE`s the hash with `key_ttl_seconds`) only when it is newer,
   * all in one `MULTI` on a single server; on a cluster, one pipeline per
   * node. With `skip_dedup`, plain `HSET`s of every row. Every row is
   * encoded before anything is sent: a bad value throws with nothing written.
   */
  async onlineWriteBatch(
    config: RepoConfig<RedisOnlineStoreConfig>,
    table: FeatureView,
    data: readonly OnlineWriteRow[],
    progress?: ProgressCallback,
  ): Promise<void> {
    const { config: cfg } = resolveRedisConfig(config);
    const conn = this.#connection(config);
    const fields = this.#viewFields(table.name);
    const ttl = cfg.key_ttl_seconds ? String(cfg.key_ttl_seconds) : undefined;
    for (let start = 0; start < data.length; start += WRITE_CHUNK) {
      const chunk = data.slice(start, start + WRITE_CHUNK);
      const rows = encodeRows(table.name, fields, this.#keys(config, chunk.map((r) => r[0])), chunk);
      let calls: ScriptCall[] = [];
      try {
        if (cfg.skip_dedup) {
          await conn.batch(
            rows.map((r) => r.key),
            (p, i) => {
              const r = rows[i]!;
              p.hset(r.key, ...r.hsetArgs);
              if (ttl) p.expire(r.key, ttl);
            },
            { transaction: true },
          );
        } else {
          const { rows: newest, indexes } = newestPerKey(rows);
          if (conn.isCluster && (await conn.crossSlotScripts())) {
            // Redis 7+: per node, calls of up to NODE_SCRIPT_ROWS hashes of any slots (Feast's keys carry no hash tags, so
            // a batch's keys spread over thousands of slots), regrouped on every attempt.
            await conn.batchNodes(
              newest.map((r) => r.key),
              (p, group) => {
                const onNode = writeNewerCalls(group.map((j) => newest[j]!), group.map((j) => indexes[j]!), ttl, () => 0, NODE_SCRIPT_ROWS);
                for (const call of onNode) p[WRITE_NEWER_ON_NODE_COMMAND](1, call.keys[0]!, [String(call.keys.length), ...call.keys, ...call.args]);
              },
            );
          } else {
            // One server (one call, in MULTI when SCRIPT_ARGS splits it), or a cluster before Redis 7: a call per slot.
            calls = writeNewerCalls(newest, indexes, ttl, conn.isCluster ? (key) => conn.slotOf(key) : () => 0);
            await conn.batch(
              calls.map((c) => c.keys[0]!),
              (p, i) => {
                const call = calls[i]!;
                p[WRITE_NEWER_COMMAND](call.keys.length, call.keys, call.args);
              },
              { transaction: true },
            );
          }
        }
      } catch (err) {
        const bad = BAD_TS_REPLY.exec((err as Error | null)?.message ?? '');
        if (bad) {
          // With one script call (every call on one server below SCRIPT_ARGS), the key index names the row.
          const row = calls.length === 1 ? calls[0]!.rows[Number(bad[1]) - 1] : undefined;
          const where = row === undefined ? '' : `, row ${start + row}`;
          throw new ValueConversionError(
            `Feature view "${table.name}"${where}: the stored ${bad[2]}. The _ts field was not written by Feast. No row checked in the same script call was written (with one call, none of this batch).`,
            err,
          );
        }
        throw conn.fail(err, 'write to', table.name);
      }
      progress?.(chunk.length);
    }
  }

  /** The read plan of a view and feature list: the last one of each view is kept, for the next request asking the same. */
  #readPlan(table: FeatureView, requestedFeatures: readonly string[] | undefined): ReadPlan {
    const last = this.#lastPlans.get(table);
    // Core passes the same frozen list while requests name the same features (a list that is
    // not frozen could change between calls, so it is never taken for the last one).
    if (last !== undefined && last.requested === requestedFeatures) return last.plan;
    const features = requestedFeatures ?? table.features.map((f) => f.name);
    const f = this.#viewFields(table.name);
    const fields = [...features.map((name) => f.field(name)), f.ts];
    const plan = { features, fields, encoded: encodeFields(fields) };
    if (requestedFeatures === undefined || Object.isFrozen(requestedFeatures)) this.#lastPlans.set(table, { requested: requestedFeatures, plan });
    return plan;
  }

  #decode(table: FeatureView, plan: ReadPlan, values: ReadonlyArray<Buffer | null>): OnlineReadResult {
    const n = plan.features.length;
    const tsBytes = values[n];
    let features: Record<string, ValueProto> | null = null;
    for (let j = 0; j < n; j++) {
      const v = values[j];
      if (v === null || v === undefined) continue;
      features ??= {};
      const name = plan.features[j]!;
      try {
        setOwnProperty(features, name, v.length === 0 ? {} : ValueProto.decode(v));
      } catch (err) {
        throw new ValueConversionError(`Feature "${name}" of view "${table.name}": ${(err as Error).message}`, err);
      }
    }
    if (features === null && (tsBytes === null || tsBytes === undefined)) return [null, null];
    const ts = tsBytes ? dateOfTimestamp(decodeTimestamp(tsBytes)) : new Date(0);
    return [ts, features ?? {}];
  }

  /**
   * One pipelined `HMGET` of the requested features' fields and `_ts:<view>`
   * per distinct key: one round trip (per node on a cluster). A key with none
   * of them is `[null, null]`; a requested feature the hash lacks is left out.
   */
  async onlineRead(
    config: RepoConfig<RedisOnlineStoreConfig>,
    table: FeatureView,
    entityKeys: readonly EntityKeyProto[],
    requestedFeatures?: readonly string[],
  ): Promise<OnlineReadResult[]> {
    const [results] = await this.onlineReadMany(config, [{ table, entityKeys, ...(requestedFeatures ? { requestedFeatures } : {}) }]);
    return results!;
  }

  /**
   * Reads several views in one pass: the views of one entity share its hash,
   * so each distinct key gets one `HMGET` of the fields of every view asked
   * of it, all in one round trip (per node on a cluster).
   */
  override async onlineReadMany(config: RepoConfig<RedisOnlineStoreConfig>, requests: readonly OnlineReadRequest[]): Promise<OnlineReadResult[][]> {
    const plans = requests.map((r) => this.#readPlan(r.table, r.requestedFeatures));
    // Distinct hashes, each with the (request, field offset) parts asked of it.
    const slotOf = new Map<string, number>();
    const hashes: Buffer[] = [];
    const hashFields: EncodedFields[][] = [];
    const where: Array<Array<{ hash: number; offset: number }>> = requests.map(() => []);
    for (let r = 0; r < requests.length; r++) {
      const keys = this.#keys(config, requests[r]!.entityKeys);
      const fieldsOfHash = new Map<number, number>();
      for (const key of keys) {
        const id = key.toString('latin1');
        let h = slotOf.get(id);
        if (h === undefined) {
          h = hashes.length;
          slotOf.set(id, h);
          hashes.push(key);
          hashFields.push([]);
        }
        let offset = fieldsOfHash.get(h);
        if (offset === undefined) {
          offset = 0;
          for (const e of hashFields[h]!) offset += e.count;
          fieldsOfHash.set(h, offset);
          hashFields[h]!.push(plans[r]!.encoded);
        }
        where[r]!.push({ hash: h, offset });
      }
    }
    const conn = this.#connection(config);
    let replies: PipelineReplies[] = [];
    if (hashes.length > 0) {
      try {
        if (hashes.length === 1) {
          // One entity, the common serving shape: one command, without a pipeline around it (a
          // cluster client sends it to the key's node and follows a redirect itself).
          await conn.ready();
          replies = [[[null, await conn.send(new HmgetCommand(hashes[0]!, concatFields(hashFields[0]!)))]]];
        } else {
          replies = await conn.batch(hashes, (p, i) => {
            p.sendCommand(new HmgetCommand(hashes[i]!, concatFields(hashFields[i]!)));
          });
        }
      } catch (err) {
        throw conn.fail(err, 'read from', requests.map((r) => r.table.name).join(', '));
      }
    }
    return requests.map((req, r) => {
      const plan = plans[r]!;
      const width = plan.fields.length;
      return where[r]!.map(({ hash, offset }) => {
        const values = replies[hash]![0]![1] as Array<Buffer | null>;
        return this.#decode(req.table, plan, offset === 0 && values.length === width ? values : values.slice(offset, offset + width));
      });
    });
  }

  /** Closes every connection; the store reconnects on its next call. */
  override async close(): Promise<void> {
    const conns = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all(conns.map((c) => c.close()));
  }
}
