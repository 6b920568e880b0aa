import type { OnlineStoreConfig, RepoConfig } from '../config/repo-config.js';
import type { FeatureView } from '../definitions/feature-view.js';
import type { EntityKeySerializationVersion } from '../entity-key/serialize.js';
import type { WriteSemantics } from '../online-store.js';
import type { EncodedWrite } from './encoded-write.js';

/**
 * The order in which {@link EncodedWrite} lays out its cells:
 * - `input`: input rows in order, each row's features in its own order (a later row of a key wins by coming later);
 * - `key`: input rows sorted by serialized key (stable: two rows of one key keep their order),
 *   so writers that all take row locks in this order never deadlock one another;
 * - `merged`: sorted by key, one cell per (key, feature) taking the last input row that has it,
 *   features by name: for a statement that must not touch one row twice (PostgreSQL's
 *   `INSERT ... SELECT FROM unnest ... ON CONFLICT`).
 */
export type WriteOrder = 'input' | 'key' | 'merged';

/** What a driver needs core to prepare for its writes. */
export interface DriverWriteOptions {
  /** Cell order (default `input`). */
  readonly order?: WriteOrder;
  /** Fill {@link EncodedWrite.cellText} with Feast's `value_text` of each value (see `valueText`). */
  readonly valueText?: boolean;
}

/** An inclusive range of epoch milliseconds a store's timestamp columns hold, and how to say it. */
export interface TimestampRange {
  readonly minMs: number;
  readonly maxMs: number;
  /** The range in words, for the message: `1970-01-01 00:00:01 to 2038-01-19 03:14:07 UTC`. */
  readonly description: string;
  /** Why (the column type), for the message: `Feast's MySQL layout has TIMESTAMP columns`. */
  readonly reason: string;
}

/**
 * What a store's layout cannot hold. Core checks every row of a write against these before the
 * driver sees it, so a refused call writes nothing and the message names the row.
 */
export interface DriverLimits {
  /** Range of event and created timestamps. */
  readonly timestamps?: TimestampRange;
  /** Most bytes of a serialized entity key, and why (for the message). */
  readonly maxKeyBytes?: { readonly bytes: number; readonly reason: string };
  /** Most bytes of one encoded value, and why (for the message). */
  readonly maxValueBytes?: { readonly bytes: number; readonly reason: string };
  /** True when feature names may not contain a NUL character (PostgreSQL text), with the reason. */
  readonly noNulInFeatureNames?: { readonly reason: string };
}

/** The largest encoded value of a write, for a driver's message when the database refuses one as too large. */
export interface LargestValue {
  readonly bytes: number;
  readonly feature: string;
  /** Index of its input row. */
  readonly row: number;
}

/** What core was doing when a driver failed: handed to {@link StoreDriver.classify}. */
export interface DriverSite {
  /** `update`, `drop`, `write to` or `read from`. */
  readonly action: 'update' | 'drop' | 'write to' | 'read from';
  /** The feature view of a read or write. */
  readonly view?: FeatureView;
  /** The table the driver was working on; a driver sets it as it goes (DDL over several tables). */
  table?: string;
  /** Of a write: its largest value. */
  readonly largest?: LargestValue;
}

/** A read as core hands it to {@link StoreDriver.fetch}. */
export interface FetchRequest {
  /**
   * The distinct serialized entity keys, in first-seen order. Rows name a key by its index
   * here, never by its bytes, so a driver can number the keys in its query and get the number back.
   */
  readonly keys: readonly Buffer[];
  /**
   * The features to return, or `undefined` for all. A hint: core drops rows of features that
   * were not asked for, so a driver may return more (and core leaves this `undefined` when every
   * feature of the view was asked for, since a SQL filter then only costs time).
   */
  readonly features: readonly string[] | undefined;
}

/** Where a driver puts the rows of a read. */
export interface FetchSink {
  /**
   * One stored (entity, feature) row.
   *
   * @param key - index of the entity key in {@link FetchRequest.keys}
   * @param feature - the feature name
   * @param value - the stored `feast.types.Value` bytes (`null` or empty for Feast's null); decoded by core
   * @param eventMs - the row's event time, epoch milliseconds (`null` when the row has none)
   */
  row(key: number, feature: string, value: Uint8Array | null, eventMs: number | null): void;
  /**
   * {@link row} for a value stored at `bytes[start, end)` (an empty range is Feast's null):
   * for drivers that receive many values packed in one buffer, which then need no view per value.
   *
   * @param bytes - the buffer holding the value's `feast.types.Value` bytes
   * @param start - where the value starts in `bytes`
   * @param end - where it ends (exclusive)
   */
  rowIn(key: number, feature: string, bytes: Uint8Array, start: number, end: number, eventMs: number | null): void;
}

/**
 * Reports how far a write has got: the number of cells of the {@link EncodedWrite} written
 * so far in this attempt (cumulative, from the start of the write; a retried transaction
 * starts again from 0). Core turns it into input-row progress.
 */
export type CellProgress = (cellsWritten: number) => void;

/**
 * The small surface a store implements to get the whole row pipeline from core
 * ({@link DriverOnlineStore}): core serializes and deduplicates entity keys, aligns results
 * with the input (duplicates included), checks and converts timestamps, encodes and decodes
 * values, adds the view, row and feature to errors, accounts progress, and checks what the
 * store returns. The driver only moves prepared rows in and out of its database.
 *
 * Methods may be synchronous (an embedded database) or return a promise.
 */
export interface StoreDriver<C extends OnlineStoreConfig = OnlineStoreConfig> {
  /** How writes are laid out for {@link upsert}. */
  readonly writeOptions?: DriverWriteOptions;
  /** What the layout cannot hold; checked by core. */
  readonly limits?: DriverLimits;

  /** The entity key serialization version of the stored keys (default: `config.entityKeySerializationVersion`). */
  keySerializationVersion?(config: RepoConfig<C>): EntityKeySerializationVersion;

  /**
   * Creates what reads and writes of `keep` need where missing and removes the tables of
   * `drop` (`OnlineStore.update`). Never called with both empty. Must be idempotent.
   */
  ensureTables(config: RepoConfig<C>, keep: readonly FeatureView[], drop: readonly FeatureView[], site: DriverSite): Promise<void> | void;

  /** Removes the tables of `views` and their data (`OnlineStore.teardown`). Never called with none. */
  dropTables(config: RepoConfig<C>, views: readonly FeatureView[], site: DriverSite): Promise<void> | void;

  /**
   * Writes every cell of `write` (upserts: a later write of a (key, feature) replaces it),
   * atomically: all or nothing. Never called with no cells. Call `progress` as cells are written.
   */
  upsert(config: RepoConfig<C>, view: FeatureView, write: EncodedWrite, progress: CellProgress, site: DriverSite): Promise<void> | void;

  /** Puts every stored row of `request.keys` into `sink`. Never called with no keys. */
  fetch(config: RepoConfig<C>, view: FeatureView, request: FetchRequest, sink: FetchSink, site: DriverSite): Promise<void> | void;

  /**
   * Turns a failure of the driver's database into the error to throw, normally an
   * `OnlineStoreError` whose kind says what went wrong and whose message names the site and
   * what to do. Anything that is not a database failure (a progress callback's error) is
   * returned unchanged. feast-ts errors never reach it: core rethrows them as they are.
   */
  classify(err: unknown, site: DriverSite, config: RepoConfig<C>): unknown;

  /** Which write semantics the store has (default `last-write-wins`). */
  writeSemantics?(config: RepoConfig<C>): WriteSemantics;

  /** Releases connections; the driver reconnects on its next call. */
  close(): Promise<void> | void;
}
