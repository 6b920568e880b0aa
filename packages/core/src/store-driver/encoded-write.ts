import { EntityKeySerializationError, isFeastError, OnlineStoreError, ValueConversionError } from '../errors.js';
import type { FeatureView } from '../definitions/feature-view.js';
import { serializeEntityKey, type EntityKeySerializationVersion } from '../entity-key/serialize.js';
import type { OnlineWriteRow } from '../online-store.js';
import { ValueProto } from '../proto/value.js';
import { keyOrder } from '../store-helpers/key-order.js';
import { valueText } from '../store-helpers/value-text.js';
import type { DriverLimits, DriverWriteOptions, LargestValue } from './driver.js';
import { epochMsOf } from './timestamps.js';

/**
 * One `onlineWriteBatch` call, checked and encoded by core for a driver's
 * `upsert`: per input row its serialized key and timestamps, and the
 * (entity, feature) cells to write in the order the driver asked for
 * ({@link DriverWriteOptions.order}). Cell `c` writes `cellValue[c]` for
 * feature `cellFeature[c]` of input row `cellRow[c]` (its key and timestamps).
 */
export interface EncodedWrite {
  /** The view written to. */
  readonly view: FeatureView;
  /** Number of input rows. */
  readonly rowCount: number;
  /** Number of cells. */
  readonly cellCount: number;
  /** Serialized entity key of each input row. */
  readonly rowKey: readonly Buffer[];
  /** Event time of each input row, epoch milliseconds (see `epochSeconds` for Feast's seconds). */
  readonly rowEventMs: Float64Array;
  /** Created time of each input row, epoch milliseconds; `NaN` where the row has none. */
  readonly rowCreatedMs: Float64Array;
  /** Input row of each cell. */
  readonly cellRow: Int32Array;
  /** Feature name of each cell. */
  readonly cellFeature: readonly string[];
  /** Encoded `feast.types.Value` of each cell. */
  readonly cellValue: readonly Uint8Array[];
  /** Feast's `value_text` of each cell, when the driver asked for it ({@link DriverWriteOptions.valueText}). */
  readonly cellText: ReadonlyArray<string | null> | undefined;
  /** The largest encoded value, for messages. */
  readonly largest: LargestValue | undefined;
  /**
   * Input rows complete once cells `0..c` are written: `rowsDoneAt[c]`. Rows
   * without features count as done as soon as the rows before them are.
   */
  readonly rowsDoneAt: Int32Array;
}

/** Prefixes a feast-ts input error with where it happened; other errors pass unchanged. */
export function withContext(err: unknown, context: string): unknown {
  if (err instanceof EntityKeySerializationError) return new EntityKeySerializationError(`${context}: ${err.message}`, err);
  if (err instanceof ValueConversionError) return new ValueConversionError(`${context}: ${err.message}`, err);
  if (err instanceof OnlineStoreError) return new OnlineStoreError(err.kind, `${context}: ${err.message}`, { cause: err });
  if (isFeastError(err) || !(err instanceof Error)) return err;
  // A protobuf encoder's own error for a malformed value.
  return new ValueConversionError(`${context}: ${err.message}`, err);
}

const NOTHING_WRITTEN = 'Nothing of this call was written.';

function checkTimestamp(ms: number, what: string, limits: DriverLimits | undefined): void {
  const range = limits?.timestamps;
  if (range && (ms < range.minMs || ms > range.maxMs)) {
    throw new ValueConversionError(
      `${what} ${new Date(ms).toISOString()} is outside what the store can hold, ${range.description} (${range.reason}). ${NOTHING_WRITTEN}`,
    );
  }
}

/**
 * Checks and encodes the rows of one write (see {@link EncodedWrite}). Every
 * row is checked before anything is returned, so a driver never starts a
 * write that a bad row would cut short.
 *
 * @throws EntityKeySerializationError, ValueConversionError or OnlineStoreError (`value_too_large`), naming the row, view and feature
 */
export function encodeWrite(
  view: FeatureView,
  data: readonly OnlineWriteRow[],
  version: EntityKeySerializationVersion,
  options: DriverWriteOptions = {},
  limits?: DriverLimits,
): EncodedWrite {
  const n = data.length;
  const rowKey = new Array<Buffer>(n);
  const rowEventMs = new Float64Array(n);
  const rowCreatedMs = new Float64Array(n);
  const where = (i: number): string => `Row ${i} written to feature view "${view.name}"`;
  for (let i = 0; i < n; i++) {
    try {
      const row = data[i];
      if (!Array.isArray(row) || row.length < 3 || row[1] === null || typeof row[1] !== 'object') {
        throw new ValueConversionError(`expected [entityKey, features, eventTimestamp, createdTimestamp | null]. ${NOTHING_WRITTEN}`);
      }
      const bytes = serializeEntityKey(row[0], version);
      const maxKey = limits?.maxKeyBytes;
      if (maxKey && bytes.byteLength > maxKey.bytes) {
        throw new OnlineStoreError(
          'value_too_large',
          `its entity key serializes to ${bytes.byteLength} bytes, and ${maxKey.reason}, at most ${maxKey.bytes} bytes. Use shorter join keys or values. ${NOTHING_WRITTEN}`,
        );
      }
      rowKey[i] = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const event = epochMsOf(row[2], 'the event timestamp');
      checkTimestamp(event, 'the event timestamp', limits);
      rowEventMs[i] = event;
      const createdTs = row[3];
      if (createdTs === null || createdTs === undefined) rowCreatedMs[i] = Number.NaN;
      else {
        const created = epochMsOf(createdTs, 'the created timestamp');
        checkTimestamp(created, 'the created timestamp', limits);
        rowCreatedMs[i] = created;
      }
    } catch (err) {
      throw withContext(err, where(i));
    }
  }

  // The cells, as (row, feature) pairs in the driver's order, with the value each writes.
  const names = new Array<string[]>(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += (names[i] = Object.keys(data[i]![1])).length;
  const order = options.order ?? 'input';
  const cellRowAll = new Int32Array(total);
  const cellFeature = new Array<string>(total);
  const rowsDoneAll = new Int32Array(total);
  const cellValue = new Array<Uint8Array>(total);
  const cellText = options.valueText ? new Array<string | null>(total) : undefined;
  const maxValue = limits?.maxValueBytes;
  const nulRule = limits?.noNulInFeatureNames;
  let largest: LargestValue | undefined;
  let cells = 0;
  let done = 0;
  // Each cell is encoded and checked as it is added, in the driver's order (the first bad cell in
  // that order is the one reported). A row's cells are done only with its last one: the others
  // carry the count before the row.
  const add = (row: number, name: string): void => {
    const value = data[row]![1][name]!;
    let encoded: Uint8Array;
    try {
      encoded = ValueProto.encode(value);
      if (cellText) cellText[cells] = valueText(value);
    } catch (err) {
      throw withContext(err, `${where(row)}, feature "${name}"`);
    }
    if (nulRule && name.includes('\0')) {
      throw new ValueConversionError(`${where(row)}: the feature name ${JSON.stringify(name)} contains a NUL character, which ${nulRule.reason}. Rename the feature. ${NOTHING_WRITTEN}`);
    }
    if (maxValue && encoded.byteLength > maxValue.bytes) {
      throw new OnlineStoreError(
        'value_too_large',
        `${where(row)}, feature "${name}": its value encodes to ${encoded.byteLength} bytes, and ${maxValue.reason}. Store smaller values. ${NOTHING_WRITTEN}`,
      );
    }
    if (largest === undefined || encoded.byteLength > largest.bytes) largest = { bytes: encoded.byteLength, feature: name, row };
    cellRowAll[cells] = row;
    cellFeature[cells] = name;
    cellValue[cells] = encoded;
    rowsDoneAll[cells++] = done;
  };
  const endGroup = (rows: number): void => {
    done += rows;
    if (cells > 0) rowsDoneAll[cells - 1] = done;
  };
  if (order === 'input') {
    for (let i = 0; i < n; i++) {
      for (const name of names[i]!) add(i, name);
      endGroup(1);
    }
  } else {
    const ids = rowKey.map((k) => k.toString('latin1'));
    const sorted = keyOrder(ids);
    if (order === 'key') {
      for (const i of sorted) {
        for (const name of names[i]!) add(i, name);
        endGroup(1);
      }
    } else {
      for (let s = 0; s < sorted.length; ) {
        let e = s + 1;
        while (e < sorted.length && ids[sorted[e]!] === ids[sorted[s]!]) e++;
        const owner = new Map<string, number>();
        for (let g = s; g < e; g++) for (const name of names[sorted[g]!]!) owner.set(name, sorted[g]!);
        for (const name of [...owner.keys()].sort()) add(owner.get(name)!, name);
        endGroup(e - s);
        s = e;
      }
    }
  }
  cellFeature.length = cells;
  cellValue.length = cells;
  if (cellText) cellText.length = cells;
  const cellRow = cells === total ? cellRowAll : cellRowAll.slice(0, cells);
  const rowsDoneAt = cells === total ? rowsDoneAll : rowsDoneAll.slice(0, cells);

  return {
    view,
    rowCount: n,
    cellCount: cells,
    rowKey,
    rowEventMs,
    rowCreatedMs,
    cellRow,
    cellFeature,
    cellValue,
    cellText,
    largest,
    rowsDoneAt,
  };
}
