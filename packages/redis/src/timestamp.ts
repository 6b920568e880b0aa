/**
 * `google.protobuf.Timestamp` bytes, as Python's protobuf runtime writes them
 * for Feast's `_ts:<view>` hash field: field 1 `seconds` (int64 varint) and
 * field 2 `nanos` (int32 varint), each left out when zero (proto3).
 */
import { ValueConversionError } from '@feast-ts/core';

/** A Timestamp as two integers; `nanos` is in [0, 999 999 999]. */
export interface TimestampParts {
  seconds: bigint;
  nanos: number;
}

const MASK64 = (1n << 64n) - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function varintLength(v: bigint): number {
  let n = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    n++;
  }
  return n;
}

function writeVarint(out: Uint8Array, pos: number, v: bigint): number {
  while (v >= 0x80n) {
    out[pos++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  out[pos++] = Number(v);
  return pos;
}

/** The Timestamp of a Date (millisecond precision): what `Timestamp.FromDatetime` gives for it. */
export function timestampOfDate(date: Date): TimestampParts {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** A varint of a non-negative safe integer, with number arithmetic. */
function writeSafeVarint(out: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  out[pos++] = n;
  return pos;
}

function safeVarintLength(n: number): number {
  let len = 1;
  for (; n >= 0x80; n = Math.floor(n / 0x80)) len++;
  return len;
}

/** Serializes a Timestamp exactly as protobuf does (negative seconds as 10-byte two's complement varints). */
export function encodeTimestamp(ts: TimestampParts): Uint8Array {
  if (ts.seconds > 0n && ts.seconds <= MAX_SAFE && ts.nanos >= 0) {
    // The common case (after 1970), without BigInt steps.
    const seconds = Number(ts.seconds);
    const out = new Uint8Array(1 + safeVarintLength(seconds) + (ts.nanos !== 0 ? 1 + safeVarintLength(ts.nanos) : 0));
    out[0] = 0x08;
    let pos = writeSafeVarint(out, 1, seconds);
    if (ts.nanos !== 0) {
      out[pos++] = 0x10;
      pos = writeSafeVarint(out, pos, ts.nanos);
    }
    return out;
  }
  const seconds = ts.seconds & MASK64;
  const nanos = BigInt(ts.nanos) & MASK64;
  const size = (seconds !== 0n ? 1 + varintLength(seconds) : 0) + (nanos !== 0n ? 1 + varintLength(nanos) : 0);
  const out = new Uint8Array(size);
  let pos = 0;
  if (seconds !== 0n) {
    out[pos++] = 0x08;
    pos = writeVarint(out, pos, seconds);
  }
  if (nanos !== 0n) {
    out[pos++] = 0x10;
    writeVarint(out, pos, nanos);
  }
  return out;
}

function corrupt(bytes: Uint8Array, why: string): never {
  throw new ValueConversionError(`Cannot decode ${bytes.length} bytes as google.protobuf.Timestamp: ${why}. The _ts field was not written by Feast.`);
}

/** Parses Timestamp bytes; unknown fields are skipped, as protobuf does. */
export function decodeTimestamp(bytes: Uint8Array): TimestampParts {
  let seconds = 0n;
  let nanos = 0n;
  let pos = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= bytes.length) corrupt(bytes, 'truncated varint');
      const b = bytes[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result & MASK64;
      shift += 7n;
      if (shift > 63n) corrupt(bytes, 'varint longer than 10 bytes');
    }
  };
  while (pos < bytes.length) {
    const tag = Number(readVarint());
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire === 0) {
      const v = readVarint();
      if (field === 1) seconds = BigInt.asIntN(64, v);
      else if (field === 2) nanos = BigInt.asIntN(32, v);
    } else if (wire === 2) {
      const len = Number(readVarint());
      if (pos + len > bytes.length) corrupt(bytes, 'truncated field');
      pos += len;
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else {
      corrupt(bytes, `wire type ${wire}`);
    }
  }
  if (pos > bytes.length) corrupt(bytes, 'truncated field');
  return { seconds, nanos: Number(nanos) };
}

/** The Date of a Timestamp (sub-millisecond nanos are dropped, as JS dates hold milliseconds). */
export function dateOfTimestamp(ts: TimestampParts): Date {
  return new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1_000_000));
}

/** Orders two Timestamps: negative when `a` is earlier, 0 when equal, positive when later. */
export function compareTimestamps(a: TimestampParts, b: TimestampParts): number {
  if (a.seconds !== b.seconds) return a.seconds < b.seconds ? -1 : 1;
  return a.nanos - b.nanos;
}
