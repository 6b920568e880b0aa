/**
 * One-dimensional PostgreSQL arrays in the binary wire format (what
 * `array_recv` reads), sent as Buffer parameters so pg passes them in binary:
 * no text escaping of keys or values, no date formatting.
 *
 * Layout: int32 ndim, int32 has-null flag, uint32 element type OID, then per
 * dimension int32 length and int32 lower bound (1), then each element as
 * int32 byte length (-1 for NULL) followed by its bytes.
 */

/** Element type OIDs (pg_type). */
export const OID = { bytea: 17, text: 25, timestamptz: 1184 } as const;

const HEADER_BYTES = 20;

function header(buf: Buffer, n: number, hasNull: boolean, oid: number): number {
  if (n === 0) {
    buf.writeInt32BE(0, 0);
    buf.writeInt32BE(0, 4);
    buf.writeUInt32BE(oid, 8);
    return 12;
  }
  buf.writeInt32BE(1, 0);
  buf.writeInt32BE(hasNull ? 1 : 0, 4);
  buf.writeUInt32BE(oid, 8);
  buf.writeInt32BE(n, 12);
  buf.writeInt32BE(1, 16);
  return HEADER_BYTES;
}

/** A `bytea[]` of byte strings (none null). */
export function byteaArray(items: readonly Uint8Array[], count = items.length): Buffer {
  let size = HEADER_BYTES;
  for (let i = 0; i < count; i++) size += 4 + items[i]!.byteLength;
  const buf = Buffer.allocUnsafe(size);
  let o = header(buf, count, false, OID.bytea);
  for (let i = 0; i < count; i++) {
    const item = items[i]!;
    buf.writeInt32BE(item.byteLength, o);
    buf.set(item, o + 4);
    o += 4 + item.byteLength;
  }
  return buf.subarray(0, o);
}

/** A `text[]` of strings, `null` elements as SQL NULL. */
export function textArray(items: ReadonlyArray<string | null>, count = items.length): Buffer {
  let size = HEADER_BYTES;
  let hasNull = false;
  for (let i = 0; i < count; i++) {
    const s = items[i];
    if (s === null || s === undefined) hasNull = true;
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    size += 4 + (s == null ? 0 : s.length * 3);
  }
  const buf = Buffer.allocUnsafe(size);
  let o = header(buf, count, hasNull, OID.text);
  for (let i = 0; i < count; i++) {
    const s = items[i];
    if (s === null || s === undefined) {
      buf.writeInt32BE(-1, o);
      o += 4;
      continue;
    }
    const written = buf.write(s, o + 4, 'utf8');
    buf.writeInt32BE(written, o);
    o += 4 + written;
  }
  return buf.subarray(0, o);
}

/** A `timestamptz[]` from epoch milliseconds, `null` elements as SQL NULL. */
export function timestamptzArray(items: ReadonlyArray<number | null>, write: (buf: Buffer, offset: number, ms: number) => void, count = items.length): Buffer {
  let hasNull = false;
  for (let i = 0; i < count; i++) if (items[i] === null) hasNull = true;
  const buf = Buffer.allocUnsafe(HEADER_BYTES + count * 12);
  let o = header(buf, count, hasNull, OID.timestamptz);
  for (let i = 0; i < count; i++) {
    const ms = items[i];
    if (ms === null || ms === undefined) {
      buf.writeInt32BE(-1, o);
      o += 4;
      continue;
    }
    buf.writeInt32BE(8, o);
    write(buf, o + 4, ms);
    o += 12;
  }
  return buf.subarray(0, o);
}
