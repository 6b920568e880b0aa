import { isFeastError, OnlineStoreError, ValueConversionError, ValueProto, type OnlineWriteRow } from '@feast-ts/core';
import { entityKeyHex, MAX_ENTITY_KEY_HEX_LENGTH } from './entity-key.js';
import { UPSERT_TAIL, upsertHead, utf8Literal, type TableNames } from './sql.js';
import { naiveUtcLiteral, toEpochSeconds } from './timestamps.js';

/**
 * Most characters of SQL text per INSERT statement. Values are sent as hex, so
 * the text is ASCII and this is also its size in bytes: well inside the
 * smallest default max_allowed_packet of current servers (4 MiB on MySQL 5.7,
 * 16 MiB on MariaDB, 64 MiB on MySQL 8).
 */
export const MAX_STATEMENT_BYTES = 2 * 1024 * 1024;

/** One INSERT statement of a write, and how many input rows it completes. */
export interface WriteChunk {
  sql: string;
  /** Input rows (entities) whose last (entity, feature) row is in this statement. */
  entities: number;
}

/**
 * The statements of one `onlineWriteBatch` call. Keys and timestamps are
 * checked when the plan is made, before a connection is used; statements are
 * encoded one at a time by {@link chunkAt}, so the next one is built while
 * the server runs the previous one. Built statements are kept, so a retried
 * transaction runs exactly the same ones.
 */
export class WritePlan {
  readonly #head: string;
  readonly #data: readonly OnlineWriteRow[];
  readonly #chunkSize: number;
  readonly #hexes: string[];
  readonly #suffixes: string[];
  readonly #order: number[];
  readonly #names = new Map<string, string>();
  readonly #chunks: WriteChunk[] = [];
  /** Position in #order of the next entity to encode, and how far into its features we are. */
  #entity = 0;
  #features: string[] | undefined;
  #feature = 0;
  #done = false;
  #trailing = 0;

  /** The largest value encoded so far, for the message when the server finds one too large. */
  largest: { bytes: number; feature: string; row: number } | undefined;

  /**
   * @throws OnlineStoreError (`value_too_large`) for an entity key longer than the column holds
   * @throws ValueConversionError for a timestamp out of range or a row without a features object
   */
  constructor(t: TableNames, data: readonly OnlineWriteRow[], chunkSize: number) {
    const n = data.length;
    this.#head = upsertHead(t);
    this.#data = data;
    this.#chunkSize = chunkSize;
    this.#hexes = new Array<string>(n);
    this.#suffixes = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const [entityKey, features, eventTs, createdTs] = data[i]!;
      const hex = entityKeyHex(entityKey);
      if (hex.length > MAX_ENTITY_KEY_HEX_LENGTH) {
        throw new OnlineStoreError(
          'value_too_large',
          `MySQLOnlineStore cannot write row #${i}: its entity key serializes to ${hex.length / 2} bytes, and Feast's MySQL layout ` +
            `stores keys as hex in VARCHAR(512), at most ${MAX_ENTITY_KEY_HEX_LENGTH / 2} bytes. Use shorter join keys or values. Nothing of this call was written.`,
        );
      }
      if (features === null || typeof features !== 'object') {
        throw new ValueConversionError(`row #${i}: features must be an object of ValueProto by feature name, got ${features === null ? 'null' : typeof features}.`);
      }
      const event = toEpochSeconds(eventTs, `row #${i}: event timestamp`);
      const created = createdTs === null || createdTs === undefined ? null : toEpochSeconds(createdTs, `row #${i}: created timestamp`);
      this.#hexes[i] = hex;
      // Naive UTC text, written in the server's time zone, as Feast writes it (see timestamps.ts).
      this.#suffixes[i] = `,${naiveUtcLiteral(event)},${created === null ? 'NULL' : naiveUtcLiteral(created)})`;
    }
    // Rows go in key order, so concurrent writers take row locks in the same order
    // (fewer deadlocks). The sort is stable: of two rows for one key, the later still wins.
    const hexes = this.#hexes;
    this.#order = Array.from({ length: n }, (_, i) => i);
    this.#order.sort((a, b) => (hexes[a]! < hexes[b]! ? -1 : hexes[a]! > hexes[b]! ? 1 : 0));
  }

  /**
   * The `index`-th statement, encoding it (and any before it) on first use;
   * `undefined` past the last one.
   *
   * @throws ValueConversionError naming the row and feature of a malformed value
   */
  chunkAt(index: number): WriteChunk | undefined {
    while (this.#chunks.length <= index && !this.#done) this.#build();
    return this.#chunks[index];
  }

  /** Input rows that no statement completes (rows without features after the last statement); known once every chunk is built. */
  get trailingEntities(): number {
    return this.#trailing;
  }

  #build(): void {
    const parts: string[] = [];
    let bytes = 0;
    let completed = 0;
    const order = this.#order;
    while (this.#entity < order.length) {
      const i = order[this.#entity]!;
      const features = this.#data[i]![1];
      this.#features ??= Object.keys(features);
      const names = this.#features;
      const prefix = `('${this.#hexes[i]}',`;
      const suffix = this.#suffixes[i]!;
      while (this.#feature < names.length) {
        const name = names[this.#feature]!;
        if (parts.length === this.#chunkSize) {
          // Full: this row starts the next statement.
          this.#chunks.push({ sql: this.#head + parts.join(',') + UPSERT_TAIL, entities: completed });
          return;
        }
        let encoded: Uint8Array;
        try {
          encoded = ValueProto.encode(features[name]!);
        } catch (err) {
          if (!isFeastError(err)) throw err;
          throw new ValueConversionError(`row #${i}, feature "${name}": ${err.message}`, err);
        }
        if (this.largest === undefined || encoded.byteLength > this.largest.bytes) this.largest = { bytes: encoded.byteLength, feature: name, row: i };
        const sql = prefix + this.#literal(name) + ",X'" + Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength).toString('hex') + "'" + suffix;
        if (parts.length > 0 && bytes + sql.length > MAX_STATEMENT_BYTES) {
          // Too big to add: this row starts the next statement (and is encoded again there).
          this.#chunks.push({ sql: this.#head + parts.join(',') + UPSERT_TAIL, entities: completed });
          return;
        }
        parts.push(sql);
        bytes += sql.length + 1;
        this.#feature++;
      }
      this.#entity++;
      this.#features = undefined;
      this.#feature = 0;
      completed++;
    }
    this.#done = true;
    if (parts.length > 0) this.#chunks.push({ sql: this.#head + parts.join(',') + UPSERT_TAIL, entities: completed });
    else this.#trailing = completed;
  }

  #literal(name: string): string {
    let literal = this.#names.get(name);
    if (literal === undefined) {
      literal = utf8Literal(name);
      this.#names.set(name, literal);
    }
    return literal;
  }
}

/** Plans a write: see {@link WritePlan}. */
export function planWrite(t: TableNames, data: readonly OnlineWriteRow[], chunkSize: number): WritePlan {
  return new WritePlan(t, data, chunkSize);
}
