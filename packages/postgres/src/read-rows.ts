import type { FetchSink } from '@feast-ts/core';
import { microsToMs } from './timestamps.js';

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
 * Hands the rows of a read to `sink`, each key found by the bytea's text form
 * (`\x` + hex) in `index`, and the event time as epoch milliseconds (no Date
 * per row). Every value's bytes are decoded from hex into one buffer for the
 * whole read (one allocation, no call into Buffer per row: for values of a few
 * bytes that costs more than the decoding itself).
 */
export function collectRows(rows: readonly SelectRow[], index: ReadonlyMap<string, number>, sink: FetchSink): void {
  let total = 0;
  for (const row of rows) {
    const hex = row[2];
    if (hex !== null) total += (hex.length - 2) >> 1;
  }
  const bytes = Buffer.allocUnsafe(total);
  let o = 0;
  for (const row of rows) {
    const i = index.get(row[0]);
    if (i === undefined) continue;
    const hex = row[2];
    const us = row[3];
    const ms = us === null ? null : microsToMs(us);
    if (hex === null) {
      sink.row(i, row[1], null, ms);
      continue;
    }
    const start = o;
    for (let h = 2, n = hex.length; h < n; h += 2) bytes[o++] = (HEX[hex.charCodeAt(h)]! << 4) | HEX[hex.charCodeAt(h + 1)]!;
    // Decoded where it lies in the read's one buffer: no view per value.
    sink.rowIn(i, row[1], bytes, start, o, ms);
  }
}
