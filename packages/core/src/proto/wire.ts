/**
 * Raw protobuf wire records: a message split into its top-level fields without decoding them, so
 * that fields can be kept byte for byte (including fields no schema here knows) while others change.
 */

/** One top-level field record of a message: its tag and its bytes, as found. */
export interface WireRecord {
  /** The field number. */
  readonly field: number;
  /** The wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32; 3/4 groups). */
  readonly wireType: number;
  /** The whole record: tag, length prefix (if any) and payload. */
  readonly bytes: Uint8Array;
  /** The payload: for wire type 2 the bytes after the length prefix, otherwise the value bytes. */
  readonly payload: Uint8Array;
}

/** Thrown when bytes are not a well-formed protobuf message; `offset` is where parsing stopped. */
export class WireFormatError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'WireFormatError';
  }
}

function readVarint(buf: Uint8Array, pos: number): [value: number, next: number] {
  let result = 0;
  let shift = 0;
  for (let i = pos; i < buf.length && i < pos + 10; i++) {
    const b = buf[i]!;
    // Multiply instead of shifting: field numbers and lengths fit in 2^53, shifts only go to 2^31.
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [result, i + 1];
  }
  throw new WireFormatError(`truncated or overlong varint at byte ${pos}`, pos);
}

/** Skips a group (wire type 3) up to its matching end-group tag; returns the position after it. */
function skipGroup(buf: Uint8Array, pos: number, field: number, depth: number): number {
  if (depth > 64) throw new WireFormatError(`groups nested too deeply at byte ${pos}`, pos);
  while (pos < buf.length) {
    const [tag, afterTag] = readVarint(buf, pos);
    const wt = tag & 7;
    const f = Math.floor(tag / 8);
    if (wt === 4) {
      if (f !== field) throw new WireFormatError(`mismatched end-group tag at byte ${pos}`, pos);
      return afterTag;
    }
    pos = skipValue(buf, afterTag, wt, f, depth + 1).end;
  }
  throw new WireFormatError(`unterminated group of field ${field}`, pos);
}

function skipValue(buf: Uint8Array, pos: number, wireType: number, field: number, depth: number): { start: number; end: number } {
  switch (wireType) {
    case 0:
      return { start: pos, end: readVarint(buf, pos)[1] };
    case 1:
      return { start: pos, end: pos + 8 };
    case 5:
      return { start: pos, end: pos + 4 };
    case 2: {
      const [len, start] = readVarint(buf, pos);
      return { start, end: start + len };
    }
    case 3:
      return { start: pos, end: skipGroup(buf, pos, field, depth) };
    default:
      throw new WireFormatError(`invalid wire type ${wireType} at byte ${pos}`, pos);
  }
}

/** Splits a message into its top-level field records, in the order they appear. Views share `buf`. */
export function splitRecords(buf: Uint8Array): WireRecord[] {
  const out: WireRecord[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const [tag, afterTag] = readVarint(buf, pos);
    const wireType = tag & 7;
    const field = Math.floor(tag / 8);
    if (field === 0) throw new WireFormatError(`field number 0 at byte ${start}`, start);
    if (wireType === 4) throw new WireFormatError(`unexpected end-group tag at byte ${start}`, start);
    const { start: payloadStart, end } = skipValue(buf, afterTag, wireType, field, 0);
    if (end > buf.length) throw new WireFormatError(`field ${field} at byte ${start} runs past the end (${end} > ${buf.length})`, start);
    out.push({ field, wireType, bytes: buf.subarray(start, end), payload: buf.subarray(payloadStart, end) });
    pos = end;
  }
  return out;
}

/** Encodes a non-negative integer as a varint. */
export function encodeVarint(value: number): Uint8Array {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Uint8Array.from(bytes);
}

/** A length-delimited record (wire type 2) of `field` holding `payload`. */
export function lengthDelimitedRecord(field: number, payload: Uint8Array): Uint8Array {
  return concatBytes([encodeVarint(field * 8 + 2), encodeVarint(payload.length), payload]);
}

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Byte-for-byte equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
