import { epochSeconds, type EncodedWrite } from '@feast-ts/core';
import { UPSERT_TAIL, upsertHead, utf8Literal, type TableNames } from './sql.js';
import { naiveUtcLiteral } from './timestamps.js';

/**
 * Most characters of SQL text per INSERT statement. Values are sent as hex, so
 * the text is ASCII and this is also its size in bytes: well inside the
 * smallest default max_allowed_packet of current servers (4 MiB on MySQL 5.7,
 * 16 MiB on MariaDB, 64 MiB on MySQL 8).
 */
export const MAX_STATEMENT_BYTES = 2 * 1024 * 1024;

/** One INSERT statement of a write, and how far into the write's cells it reaches. */
export interface WriteChunk {
  sql: string;
  /** Cells `0 .. cellsEnd - 1` are written once this statement has run. */
  cellsEnd: number;
}

/**
 * The multi-row upserts of one write, from core's {@link EncodedWrite} (cells
 * in key order, so concurrent writers take row locks in one order). Statements
 * are built one at a time by {@link chunkAt}, so the next one is built while
 * the server runs the previous one; built statements are kept, so a retried
 * transaction runs exactly the same ones.
 */
export class WritePlan {
  readonly #head: string;
  readonly #write: EncodedWrite;
  readonly #chunkSize: number;
  readonly #prefixes: string[];
  readonly #suffixes: string[];
  readonly #names = new Map<string, string>();
  readonly #chunks: WriteChunk[] = [];
  #cell = 0;

  constructor(t: TableNames, write: EncodedWrite, chunkSize: number) {
    this.#head = upsertHead(t);
    this.#write = write;
    this.#chunkSize = chunkSize;
    const n = write.rowCount;
    this.#prefixes = new Array<string>(n);
    this.#suffixes = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      this.#prefixes[i] = `('${write.rowKey[i]!.toString('hex')}',`;
      const created = write.rowCreatedMs[i]!;
      // Naive UTC text, written in the server's time zone, as Feast writes it (see timestamps.ts).
      this.#suffixes[i] = `,${naiveUtcLiteral(epochSeconds(write.rowEventMs[i]!))},${Number.isNaN(created) ? 'NULL' : naiveUtcLiteral(epochSeconds(created))})`;
    }
  }

  /** The `index`-th statement, building it (and any before it) on first use; `undefined` past the last one. */
  chunkAt(index: number): WriteChunk | undefined {
    while (this.#chunks.length <= index && this.#cell < this.#write.cellCount) this.#build();
    return this.#chunks[index];
  }

  #build(): void {
    const w = this.#write;
    const parts: string[] = [];
    let bytes = 0;
    while (this.#cell < w.cellCount && parts.length < this.#chunkSize) {
      const c = this.#cell;
      const row = w.cellRow[c]!;
      const value = w.cellValue[c]!;
      const sql =
        this.#prefixes[row]! + this.#literal(w.cellFeature[c]!) + ",X'" + Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex') + "'" + this.#suffixes[row]!;
      // Too big to add: this cell starts the next statement.
      if (parts.length > 0 && bytes + sql.length > MAX_STATEMENT_BYTES) break;
      parts.push(sql);
      bytes += sql.length + 1;
      this.#cell++;
    }
    this.#chunks.push({ sql: this.#head + parts.join(',') + UPSERT_TAIL, cellsEnd: this.#cell });
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
export function planWrite(t: TableNames, write: EncodedWrite, chunkSize: number): WritePlan {
  return new WritePlan(t, write, chunkSize);
}
