/*
 * The one-row-per-entity read packs every (feature_name, value) row of an
 * entity into one binary string on the server (GROUP_CONCAT, see
 * selectGroupedSql in sql.ts). Each feature is
 *
 *   <feature name, UTF-8> 0xFF <value length, 3 bytes big-endian> <value bytes>
 *
 * with no separator between features. 0xFF never occurs in UTF-8, so it ends
 * the name without a length of its own; `CHAR(0xFF000000 + length)` makes the
 * marker and the length in one function call. A value of 2^24 - 1 bytes or
 * more says 0xFFFFFF (a MEDIUMBLOB holds at most that; a packed row never
 * holds that much, see GROUPED_MAX_BYTES), so it always reads as cut.
 *
 * GROUP_CONCAT cuts a result longer than the session's group_concat_max_len
 * (with a warning, not an error). A cut row never unpacks: the last feature
 * runs past the end, or fewer features than the row's COUNT(*) come out. Such
 * an entity is read again row by row.
 */

/** The byte that ends each feature name (never part of UTF-8). */
export const NAME_END = 0xff;

/** Bytes of the value length after {@link NAME_END}. */
const LENGTH_BYTES = 3;

/**
 * Where each feature of a packed row lies, filled by {@link unpackRow}:
 * for feature `f`, the name is bytes `[at[3f], at[3f+1])` and the value
 * `[at[3f+1] + 4, at[3f+2])`.
 */
export type FeatureOffsets = number[];

/**
 * Finds the features of a packed row, checking that it holds exactly `count`
 * of them and nothing after the last. Returns false, for a row GROUP_CONCAT
 * cut (or anything else that does not unpack), so the caller reads that
 * entity row by row instead.
 */
export function unpackRow(packed: Uint8Array, count: number, at: FeatureOffsets): boolean {
  const end = packed.length;
  let o = 0;
  for (let f = 0; f < count; f++) {
    const mark = packed.indexOf(NAME_END, o);
    if (mark < 0 || mark + 1 + LENGTH_BYTES > end) return false;
    const valueEnd = mark + 1 + LENGTH_BYTES + ((packed[mark + 1]! << 16) | (packed[mark + 2]! << 8) | packed[mark + 3]!);
    if (valueEnd > end) return false;
    at[3 * f] = o;
    at[3 * f + 1] = mark;
    at[3 * f + 2] = valueEnd;
    o = valueEnd;
  }
  return o === end;
}

/** The name of feature `f` of a row {@link unpackRow} accepted. */
export function featureName(packed: Buffer, at: FeatureOffsets, f: number): string {
  return packed.toString('utf8', at[3 * f], at[3 * f + 1]);
}

/**
 * The names of packed rows' features, each decoded once: the rows of one
 * SELECT come out of the same index, so every entity's features are usually
 * in the same order, and the name at a position is the one the row before
 * had there. Compares the bytes; decodes (and remembers) only when they differ.
 */
export class FeatureNames {
  readonly #bytes: Buffer[] = [];
  readonly #names: string[] = [];

  /** The name of feature `f` of a row {@link unpackRow} accepted; what {@link featureName} gives. */
  name(packed: Buffer, at: FeatureOffsets, f: number): string {
    const start = at[3 * f]!;
    const end = at[3 * f + 1]!;
    const known = this.#bytes[f];
    if (known !== undefined && known.length === end - start) {
      let k = 0;
      while (k < known.length && known[k] === packed[start + k]) k++;
      if (k === known.length) return this.#names[f]!;
    }
    const name = packed.toString('utf8', start, end);
    this.#bytes[f] = Buffer.from(packed.subarray(start, end));
    this.#names[f] = name;
    return name;
  }
}

/** Where the value of feature `f` of a row {@link unpackRow} accepted starts in the packed bytes. */
export function valueStart(at: FeatureOffsets, f: number): number {
  return at[3 * f + 1]! + 1 + LENGTH_BYTES;
}

/** Where the value of feature `f` ends (exclusive); equal to {@link valueStart} for an empty or NULL value. */
export function valueEnd(at: FeatureOffsets, f: number): number {
  return at[3 * f + 2]!;
}

/** Packs features as the server does: for tests of {@link unpackRow}. */
export function packRow(features: ReadonlyArray<readonly [string, Uint8Array | null]>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of features) {
    const length = value?.length ?? 0;
    const header = Buffer.from([NAME_END, 0, 0, 0]);
    header.writeUIntBE(Math.min(length, 0xffffff), 1, LENGTH_BYTES);
    parts.push(Buffer.from(name, 'utf8'), header, Buffer.from(value ?? []));
  }
  return Buffer.concat(parts);
}
