import type { EncodedWrite } from '@feast-ts/core';
import { byteaArray, textArray, timestamptzArray } from './binary-array.js';
import { writeTimestamp } from './timestamps.js';

/** Most (entity, feature) rows per upsert statement. */
export const WRITE_CHUNK_ROWS = 5000;
/** Most bytes of keys and values per upsert statement (a chunk always takes at least one row). */
export const WRITE_CHUNK_BYTES = 32 * 1024 * 1024;
/** Largest encoded value written: PostgreSQL's limit on one field (1 GiB) less room for the message around it. */
export const MAX_VALUE_BYTES = 1024 * 1024 * 1024 - 64 * 1024;

/** The six binary array parameters of one upsert, and how far into the write's cells it reaches. */
export interface WriteChunk {
  params: [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
  /** (entity, feature) rows in the statement. */
  rows: number;
  /** Cells `0 .. cellsEnd - 1` are written once this statement has run. */
  cellsEnd: number;
}

/**
 * The upserts of one write, from core's {@link EncodedWrite} with cells
 * `merged`: ordered by serialized key then feature name (concurrent writers
 * lock rows in one order, so never deadlock one another), one cell per (key,
 * feature), since one `INSERT ... SELECT FROM unnest ... ON CONFLICT` may not
 * touch a row twice. Chunks are built one at a time by {@link chunkAt}, so the
 * next is built while the server runs the previous one; built chunks are kept,
 * so a retried transaction sends the same ones.
 */
export class WritePlan {
  readonly #write: EncodedWrite;
  readonly #chunks: WriteChunk[] = [];
  #cell = 0;

  constructor(write: EncodedWrite) {
    this.#write = write;
  }

  /** The `index`-th statement, building it (and any before it) on first use; `undefined` past the last one. */
  chunkAt(index: number): WriteChunk | undefined {
    while (this.#chunks.length <= index && this.#cell < this.#write.cellCount) this.#build();
    return this.#chunks[index];
  }

  #build(): void {
    const w = this.#write;
    const keys: Buffer[] = [];
    const names: string[] = [];
    const values: Uint8Array[] = [];
    const texts: Array<string | null> = [];
    const events: number[] = [];
    const created: Array<number | null> = [];
    let bytes = 0;
    while (this.#cell < w.cellCount && keys.length < WRITE_CHUNK_ROWS && (keys.length === 0 || bytes < WRITE_CHUNK_BYTES)) {
      const c = this.#cell++;
      const row = w.cellRow[c]!;
      const key = w.rowKey[row]!;
      const value = w.cellValue[c]!;
      let text = w.cellText?.[c] ?? null;
      // PostgreSQL text cannot hold NUL: such a string keeps its value (bytea) but no value_text
      // (Feast's own writer fails on it; value_text only feeds the full-text index).
      if (text !== null && text.includes('\0')) text = null;
      const createdMs = w.rowCreatedMs[row]!;
      keys.push(key);
      names.push(w.cellFeature[c]!);
      values.push(value);
      texts.push(text);
      events.push(w.rowEventMs[row]!);
      created.push(Number.isNaN(createdMs) ? null : createdMs);
      bytes += key.byteLength + value.byteLength + 64;
    }
    this.#chunks.push({
      params: [byteaArray(keys), textArray(names), byteaArray(values), textArray(texts), timestamptzArray(events, writeTimestamp), timestamptzArray(created, writeTimestamp)],
      rows: keys.length,
      cellsEnd: this.#cell,
    });
  }
}
