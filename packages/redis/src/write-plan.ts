/**
 * Feast's write rule for Redis, as a plan: which rows of a batch to send.
 * Of the rows of one key, only the newest is sent (the first of equal ones);
 * the comparison with the stored `_ts:<view>` happens on the server, in
 * WRITE_NEWER_LUA. `skip_dedup` writes every row in order.
 */
import { ValueConversionError, type OnlineWriteRow } from '@feast-ts/core';
import { encodeValue } from './value-encode.js';
import { compareTimestamps, encodeTimestamp, timestampOfDate, type TimestampParts } from './timestamp.js';
import type { ViewFields } from './keys.js';

/** One row ready to send: its key, the HSET arguments (field, value, ...), its event time. */
export interface EncodedRow {
  key: Buffer;
  /** `_ts:<view>`, its Timestamp bytes, then each feature's field and Value bytes. */
  hsetArgs: Buffer[];
  ts: TimestampParts;
}

/**
 * Encodes every row before anything is sent, so a bad value fails the call
 * with nothing written. @throws ValueConversionError naming the view, row and feature
 */
export function encodeRows(view: string, fields: ViewFields, keys: readonly Buffer[], data: readonly OnlineWriteRow[]): EncodedRow[] {
  const out: EncodedRow[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const [, features, eventTs] = data[i]!;
    if (!(eventTs instanceof Date) || Number.isNaN(eventTs.getTime())) {
      throw new ValueConversionError(`Feature view "${view}", row ${i}: the event timestamp must be a valid Date. Nothing of this call was written.`);
    }
    const ts = timestampOfDate(eventTs);
    const args: Buffer[] = [fields.ts, Buffer.from(encodeTimestamp(ts))];
    for (const name in features) {
      let bytes: Buffer;
      try {
        bytes = encodeValue(features[name]!);
      } catch (err) {
        throw new ValueConversionError(`Feature view "${view}", row ${i}, feature "${name}": ${(err as Error).message} Nothing of this call was written.`, err);
      }
      args.push(fields.field(name), bytes);
    }
    out[i] = { key: keys[i]!, hsetArgs: args, ts };
  }
  return out;
}

/**
 * The rows of a batch that beat the earlier rows of their key, in batch
 * order: for each key the newest row (the first of equal ones), with its
 * index in the batch.
 */
export function newestPerKey(rows: readonly EncodedRow[]): { rows: EncodedRow[]; indexes: number[] } {
  const best = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const id = rows[i]!.key.toString('latin1');
    const prev = best.get(id);
    if (prev === undefined || compareTimestamps(rows[i]!.ts, rows[prev]!.ts) > 0) best.set(id, i);
  }
  const indexes = best.size === rows.length ? rows.map((_, i) => i) : [...best.values()].sort((a, b) => a - b);
  return { rows: indexes.map((i) => rows[i]!), indexes };
}
