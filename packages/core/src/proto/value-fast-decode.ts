import { isUtf8 } from 'node:buffer';
import type { ValueProto } from './value.js';

/*
 * Reads feast.types.Value bytes for the common scalar members directly;
 * ValueProto.decode falls back to the generic protobuf decoder for everything else. A read of
 * N entities x F features decodes N*F values, and the generic protobuf path
 * costs more than fetching the rows does; this one is several times cheaper.
 * The output is exactly what ValueProto.decode returns for the same bytes
 * (the tests compare the two on every scalar type, edge values included).
 *
 * Handled: one field of Value, one of bytes_val (1), string_val (2),
 * int32_val (3), int64_val (4), double_val (5), float_val (6), bool_val (7),
 * unix_timestamp_val (8), with its proper wire type, and nothing after it;
 * and the empty message (Feast's null). A string that is not valid UTF-8 is
 * left to the generic decoder, which refuses it as protobuf (and Feast's
 * Python protobuf) does; a bool is true when any bit of its varint is set, as
 * protobuf reads it, not only the low 32 bits.
 */

const TAG_BYTES = (1 << 3) | 2;
const TAG_STRING = (2 << 3) | 2;
const TAG_INT32 = (3 << 3) | 0;
const TAG_INT64 = (4 << 3) | 0;
const TAG_DOUBLE = (5 << 3) | 1;
const TAG_FLOAT = (6 << 3) | 5;
const TAG_BOOL = (7 << 3) | 0;
const TAG_UNIX_TIMESTAMP = (8 << 3) | 0;

/** End of a varint starting at `pos`, or -1 when it is longer than 10 bytes or runs past `end`. */
function varintEnd(buf: Buffer, pos: number, end: number): number {
  for (let i = pos; i < end && i < pos + 10; i++) {
    if ((buf[i]! & 0x80) === 0) return i + 1;
  }
  return -1;
}

/** The varint in [pos, stop) as an unsigned 64-bit bigint. */
function varintBig(buf: Buffer, pos: number, stop: number): bigint {
  let value = 0n;
  let shift = 0n;
  for (let i = pos; i < stop; i++) {
    value |= BigInt(buf[i]! & 0x7f) << shift;
    shift += 7n;
  }
  return BigInt.asUintN(64, value);
}

/** The varint in [pos, stop) as a number, when it has at most 7 bytes (< 2^49); else -1. */
function varintSmall(buf: Buffer, pos: number, stop: number): number {
  if (stop - pos > 7) return -1;
  let value = 0;
  let mul = 1;
  for (let i = pos; i < stop; i++) {
    value += (buf[i]! & 0x7f) * mul;
    mul *= 128;
  }
  return value;
}

/** True when any payload bit of the varint in [pos, stop) is set (protobuf's reading of a bool). */
function anyBitSet(buf: Buffer, pos: number, stop: number): boolean {
  for (let i = pos; i < stop; i++) if ((buf[i]! & 0x7f) !== 0) return true;
  return false;
}

function int64At(buf: Buffer, pos: number, stop: number): bigint {
  const small = varintSmall(buf, pos, stop);
  return small >= 0 ? BigInt(small) : BigInt.asIntN(64, varintBig(buf, pos, stop));
}

/**
 * Decodes a Value holding one scalar member, or returns `undefined` when the
 * bytes are anything else (lists, maps, several fields, malformed input), for
 * the generic decoder to handle.
 */
export function decodeScalarValue(bytes: Uint8Array): ValueProto | undefined {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return decodeScalarValueIn(buf, 0, buf.length);
}

/**
 * {@link decodeScalarValue} of the bytes `buf[start, end)`, without a view of them: a read of
 * packed rows decodes thousands of values out of one buffer, and a `subarray` per value costs
 * more than decoding it.
 */
export function decodeScalarValueIn(buf: Buffer, start: number, end: number): ValueProto | undefined {
  if (end === start) return {};
  const tag = buf[start]!;
  const first = start + 1;
  if (tag < 0x80) {
    switch (tag) {
      case TAG_DOUBLE:
        if (end - start === 9) return { doubleVal: buf.readDoubleLE(first) };
        break;
      case TAG_FLOAT:
        if (end - start === 5) return { floatVal: buf.readFloatLE(first) };
        break;
      case TAG_INT64:
      case TAG_UNIX_TIMESTAMP:
      case TAG_INT32:
      case TAG_BOOL: {
        const stop = varintEnd(buf, first, end);
        if (stop !== end) break;
        if (tag === TAG_INT64) return { int64Val: int64At(buf, first, stop) };
        if (tag === TAG_UNIX_TIMESTAMP) return { unixTimestampVal: int64At(buf, first, stop) };
        if (tag === TAG_BOOL) return { boolVal: anyBitSet(buf, first, stop) };
        const small = varintSmall(buf, first, stop);
        const low32 = small >= 0 && small < 2 ** 32 ? small : Number(varintBig(buf, first, stop) & 0xffffffffn);
        return { int32Val: low32 | 0 };
      }
      case TAG_STRING:
      case TAG_BYTES: {
        const lenEnd = varintEnd(buf, first, end);
        if (lenEnd < 0) break;
        const len = varintSmall(buf, first, lenEnd);
        if (len < 0 || lenEnd + len !== end) break;
        if (tag === TAG_BYTES) return { bytesVal: new Uint8Array(buf.buffer, buf.byteOffset + lenEnd, len) };
        if (!isUtf8(buf.subarray(lenEnd, end))) break;
        return { stringVal: buf.toString('utf8', lenEnd, end) };
      }
      default:
        break;
    }
  }
  return undefined;
}
