import {
  EntityKeySerializationError,
  isFeastError,
  keyOrder,
  OnlineStoreError,
  serializeEntityKey,
  ValueConversionError,
  ValueProto,
  valueText,
  type EntityKeySerializationVersion,
  type OnlineWriteRow,
} from '@feast-ts/core';
import { byteaArray, textArray, timestamptzArray } from './binary-array.js';
import { toEpochMs, writeTimestamp } from './timestamps.js';

/** Most (entity, feature) rows per upsert statement. */
export const WRITE_CHUNK_ROWS = 5000;
/** Most bytes of keys and values per upsert statement (a chunk always takes at least one row). */
export const WRITE_CHUNK_BYTES = 32 * 1024 * 1024;
/** Largest encoded value written: PostgreSQL's limit on one field (1 GiB) less room for the message around it. */
export const MAX_VALUE_BYTES = 1024 * 1024 * 1024 - 64 * 1024;

/** The six binary array parameters of one upsert, and how many input rows it completes. */
export interface WriteChunk {
  params: [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
  /** (entity, feature) rows in the statement. */
  rows: number;
  /** Input rows whose every feature is in this or an earlier statement. */
  entities: number;
}

interface Group {
  key: Buffer;
  /** Input rows of this key, in input order. */
  rows: number[];
}

function rowContext(err: unknown, context: string): unknown {
  if (err instanceof EntityKeySerializationError) return new EntityKeySerializationError(`${context}: ${err.message}`, err);
  if (err instanceof ValueConversionError) return new ValueConversionError(`${context}: ${err.message}`, err);
  if (isFeastError(err)) return err;
  return err;
}

/**
 * The statements of one `onlineWriteBatch` call. Keys and timestamps are
 * checked when the plan is made, before a connection is used. Rows are
 * ordered by serialized key (then feature name), so concurrent writers lock
 * rows in the same order and never deadlock one another; a key given more
 * than once is written once, each feature taking the value and timestamps of
 * the last input row that has it (what Feast's one-upsert-per-row gives).
 * Chunks are encoded one at a time by {@link chunkAt}, so the next is built
 * while the server runs the previous one; built chunks are kept, so a retried
 * transaction sends the same ones.
 */
export class WritePlan {
  readonly #data: readonly OnlineWriteRow[];
  readonly #groups: Group[];
  readonly #eventMs: Float64Array;
  readonly #createdMs: Array<number | null>;
  readonly #chunks: WriteChunk[] = [];
  #group = 0;
  #names: string[] | undefined;
  #owners: number[] | undefined;
  #feature = 0;
  #done = false;
  #trailing = 0;

  /** The largest value encoded so far, for the message when the server finds one too large. */
  largest: { bytes: number; feature: string; row: number } | undefined;

  /**
   * @throws EntityKeySerializationError for a key that cannot be serialized
   * @throws ValueConversionError for an invalid timestamp or a row without a features object
   */
  constructor(data: readonly OnlineWriteRow[], version: EntityKeySerializationVersion) {
    const n = data.length;
    this.#data = data;
    this.#eventMs = new Float64Array(n);
    this.#createdMs = new Array<number | null>(n);
    const keys = new Array<Buffer>(n);
    const ids = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const context = `row #${i}`;
      try {
        const row = data[i];
        if (!Array.isArray(row) || row.length < 3 || row[1] === null || typeof row[1] !== 'object') {
          throw new ValueConversionError('expected [entityKey, features, eventTimestamp, createdTimestamp | null]. Nothing of this call was written.');
        }
        const [entityKey, , eventTs, createdTs] = row;
        const bytes = serializeEntityKey(entityKey, version);
        const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        keys[i] = key;
        ids[i] = key.toString('latin1');
        this.#eventMs[i] = toEpochMs(eventTs, 'the event timestamp');
        this.#createdMs[i] = createdTs === null || createdTs === undefined ? null : toEpochMs(createdTs, 'the created timestamp');
      } catch (err) {
        throw rowContext(err, context);
      }
    }
    const groups: Group[] = [];
    let last: string | undefined;
    for (const i of keyOrder(ids)) {
      if (ids[i] === last) groups[groups.length - 1]!.rows.push(i);
      else groups.push({ key: keys[i]!, rows: [i] });
      last = ids[i];
    }
    this.#groups = groups;
  }

  /** Input rows that no statement completes (rows without features after the last statement); known once every chunk is built. */
  get trailingEntities(): number {
    return this.#trailing;
  }

  /**
   * The `index`-th statement, encoding it (and any before it) on first use;
   * `undefined` past the last one.
   *
   * @throws ValueConversionError naming the row and feature of a malformed value
   * @throws OnlineStoreError (`value_too_large`) for a value larger than PostgreSQL accepts
   */
  chunkAt(index: number): WriteChunk | undefined {
    while (this.#chunks.length <= index && !this.#done) this.#build();
    return this.#chunks[index];
  }

  /** The features of the current group, each with the input row whose value wins. */
  #resolveGroup(g: Group): void {
    const rows = g.rows;
    if (rows.length === 1) {
      const i = rows[0]!;
      const names = Object.keys(this.#data[i]![1]).sort();
      this.#names = names;
      this.#owners = new Array<number>(names.length).fill(i);
      return;
    }
    const owner = new Map<string, number>();
    for (const i of rows) for (const name of Object.keys(this.#data[i]![1])) owner.set(name, i);
    const names = [...owner.keys()].sort();
    this.#names = names;
    this.#owners = names.map((name) => owner.get(name)!);
  }

  #build(): void {
    const keys: Buffer[] = [];
    const names: string[] = [];
    const values: Uint8Array[] = [];
    const texts: Array<string | null> = [];
    const events: number[] = [];
    const created: Array<number | null> = [];
    let bytes = 0;
    let completed = 0;
    const groups = this.#groups;
    while (this.#group < groups.length) {
      const g = groups[this.#group]!;
      if (this.#names === undefined) this.#resolveGroup(g);
      const gNames = this.#names!;
      const owners = this.#owners!;
      while (this.#feature < gNames.length) {
        if (keys.length === WRITE_CHUNK_ROWS || (keys.length > 0 && bytes >= WRITE_CHUNK_BYTES)) {
          this.#push(keys, names, values, texts, events, created, completed);
          return;
        }
        const name = gNames[this.#feature]!;
        const i = owners[this.#feature]!;
        const value = this.#data[i]![1][name]!;
        let encoded: Uint8Array;
        let text: string | null;
        try {
          encoded = ValueProto.encode(value);
          text = valueText(value);
        } catch (err) {
          throw rowContext(err, `row #${i}, feature "${name}"`);
        }
        if (name.includes('\0')) {
          throw new ValueConversionError(
            `row #${i}: the feature name ${JSON.stringify(name)} contains a NUL character, which PostgreSQL text (the feature_name column) cannot hold. Rename the feature. Nothing of this call was written.`,
          );
        }
        // PostgreSQL text cannot hold NUL: such a string keeps its value (bytea) but no value_text
        // (Feast's own writer fails on it; value_text only feeds the full-text index).
        if (text !== null && text.includes('\0')) text = null;
        if (this.largest === undefined || encoded.byteLength > this.largest.bytes) this.largest = { bytes: encoded.byteLength, feature: name, row: i };
        if (encoded.byteLength > MAX_VALUE_BYTES) {
          throw new OnlineStoreError(
            'value_too_large',
            `PostgreSQLOnlineStore cannot write row #${i}, feature "${name}": its value encodes to ${encoded.byteLength} bytes, more than PostgreSQL accepts in one field (1 GiB). Store smaller values. Nothing of this call was written.`,
          );
        }
        keys.push(g.key);
        names.push(name);
        values.push(encoded);
        texts.push(text);
        events.push(this.#eventMs[i]!);
        created.push(this.#createdMs[i]!);
        bytes += g.key.byteLength + encoded.byteLength + 64;
        this.#feature++;
      }
      completed += g.rows.length;
      this.#group++;
      this.#names = undefined;
      this.#owners = undefined;
      this.#feature = 0;
    }
    this.#done = true;
    if (keys.length > 0) this.#push(keys, names, values, texts, events, created, completed);
    else this.#trailing = completed;
  }

  #push(keys: Buffer[], names: string[], values: Uint8Array[], texts: Array<string | null>, events: number[], created: Array<number | null>, entities: number): void {
    this.#chunks.push({
      params: [byteaArray(keys), textArray(names), byteaArray(values), textArray(texts), timestamptzArray(events, writeTimestamp), timestamptzArray(created, writeTimestamp)],
      rows: keys.length,
      entities,
    });
  }
}
