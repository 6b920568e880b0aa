import { ValueProto } from '@feast-ts/core';
import { microsToMs } from './timestamps.js';

/** What one distinct entity key's rows add up to during a read. */
export interface EntityRows {
  /** Latest event time among its rows, epoch milliseconds; NaN while none has one. */
  eventMs: number;
  features: Record<string, ValueProto> | null;
  /** True once `features` went into a result: a key given again gets a copy. */
  handedOut: boolean;
}

/** A row of the read query in text format: `[entity_key '\x..', feature_name, value '\x..' | null, event µs | null]`. */
export type SelectRow = [string, string, string | null, string | null];

/** pg type parsers that hand every column over as the server's text (parsing is done in {@link collectRows}). */
export const RAW_TEXT_TYPES = { getTypeParser: () => (text: string) => text };

/** Value of each ASCII hex digit (others 0: the server only sends 0-9a-f). */
const HEX = new Uint8Array(128);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[97 + i] = 10 + i;
  HEX[65 + i] = 10 + i;
}

/**
 * Adds the rows of a read to their entities (looked up by the bytea's text
 * form, `\x` + hex): decodes each value, keeps the latest event time as a
 * number, so no Date is made per row. Every value's bytes are decoded from
 * hex into one buffer for the whole read (one allocation, no call into
 * Buffer per row: for values of a few bytes that costs more than the
 * decoding itself).
 */
export function collectRows(rows: readonly SelectRow[], byKey: Map<string, EntityRows>): void {
  let total = 0;
  for (const row of rows) {
    const hex = row[2];
    if (hex !== null) total += (hex.length - 2) >> 1;
  }
  const bytes = Buffer.allocUnsafe(total);
  let o = 0;
  for (const row of rows) {
    const acc = byKey.get(row[0]);
    if (acc === undefined) continue;
    const features = (acc.features ??= {});
    const hex = row[2];
    if (hex === null) {
      features[row[1]] = {};
    } else {
      const start = o;
      for (let i = 2, n = hex.length; i < n; i += 2) bytes[o++] = (HEX[hex.charCodeAt(i)]! << 4) | HEX[hex.charCodeAt(i + 1)]!;
      features[row[1]] = ValueProto.decode(bytes.subarray(start, o));
    }
    const us = row[3];
    if (us !== null) {
      const ms = microsToMs(us);
      if (!(ms <= acc.eventMs)) acc.eventMs = ms;
    }
  }
}
