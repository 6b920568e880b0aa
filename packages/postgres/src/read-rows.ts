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

/**
 * Adds the rows of a read to their entities (looked up by the bytea's text
 * form, `\x` + hex): decodes each value, keeps the latest event time as a
 * number, so no Date is made per row.
 */
export function collectRows(rows: readonly SelectRow[], byKey: Map<string, EntityRows>): void {
  for (const row of rows) {
    const acc = byKey.get(row[0]);
    if (acc === undefined) continue;
    const features = (acc.features ??= {});
    const hex = row[2];
    features[row[1]] = hex === null ? {} : ValueProto.decode(Buffer.from(hex.substring(2), 'hex'));
    const us = row[3];
    if (us !== null) {
      const ms = microsToMs(us);
      if (!(ms <= acc.eventMs)) acc.eventMs = ms;
    }
  }
}
