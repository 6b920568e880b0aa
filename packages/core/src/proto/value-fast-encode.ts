import type { ValueProto } from './value.js';
import { isWellFormedString } from './well-formed.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/*
 * Writes feast.types.Value bytes for the common scalar members directly, the
 * write-side twin of value-fast-decode.ts: a write of N entities x F features
 * encodes N*F values, and the generic protobuf path (fromObject, a Writer,
 * finish) costs more than SQLite's upsert of the row. The bytes are exactly
 * protobufjs's for the same value (a test compares the two on edge values).
 *
 * Handled: double_val (5),
 * float_val (6), int64_val (4), a non-negative int32_val (3), bool_val (7),
 * string_val (2), each of the JavaScript type assertValueProto demands (a
 * well-formed string, an int64 in range): for such a value the bytes are
 * returned without the generic check. Anything else (another member, two
 * members, a wrong type) returns `undefined`, for assertValueProto to refuse or
 * the generic encoder to write.
 */

function varintLength(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function writeVarint(buf: Buffer, pos: number, v: number): number {
  while (v >= 128) {
    buf[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

function writeVarintBig(buf: Buffer, pos: number, v: bigint): number {
  while (v >= 128n) {
    buf[pos++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  buf[pos++] = Number(v);
  return pos;
}

function varintBytes(tag: number, v: number): Buffer {
  const buf = Buffer.allocUnsafe(1 + varintLength(v));
  buf[0] = tag;
  writeVarint(buf, 1, v);
  return buf;
}

/** The Value bytes of `value` when it holds one of the handled scalar members, else `undefined`. */
export function encodeScalarValue(value: ValueProto): Uint8Array | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  let kind: string | undefined;
  for (const key in value) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || member === null) continue;
    if (kind !== undefined) return undefined;
    kind = key;
  }
  switch (kind) {
    case 'doubleVal': {
      if (typeof value.doubleVal !== 'number') return undefined;
      const buf = Buffer.allocUnsafe(9);
      buf[0] = (5 << 3) | 1;
      buf.writeDoubleLE(value.doubleVal!, 1);
      return buf;
    }
    case 'floatVal': {
      if (typeof value.floatVal !== 'number') return undefined;
      const buf = Buffer.allocUnsafe(5);
      buf[0] = (6 << 3) | 5;
      buf.writeFloatLE(value.floatVal!, 1);
      return buf;
    }
    case 'int64Val': {
      const v = value.int64Val!;
      if (typeof v !== 'bigint' || v < INT64_MIN || v > INT64_MAX) return undefined;
      if (v >= 0n && v <= 9007199254740991n) return varintBytes(4 << 3, Number(v));
      const u = BigInt.asUintN(64, v);
      const buf = Buffer.allocUnsafe(11);
      buf[0] = 4 << 3;
      return buf.subarray(0, writeVarintBig(buf, 1, u));
    }
    case 'int32Val': {
      const v = value.int32Val!;
      return Number.isInteger(v) && v >= 0 && v <= 2147483647 ? varintBytes(3 << 3, v) : undefined;
    }
    case 'boolVal': {
      if (typeof value.boolVal !== 'boolean') return undefined;
      const buf = Buffer.allocUnsafe(2);
      buf[0] = 7 << 3;
      buf[1] = value.boolVal ? 1 : 0;
      return buf;
    }
    case 'stringVal': {
      const s = value.stringVal!;
      if (typeof s !== 'string' || !isWellFormedString(s)) return undefined;
      const len = Buffer.byteLength(s, 'utf8');
      const head = 1 + varintLength(len);
      const buf = Buffer.allocUnsafe(head + len);
      buf[0] = (2 << 3) | 2;
      writeVarint(buf, 1, len);
      buf.write(s, head, 'utf8');
      return buf;
    }
    default:
      return undefined;
  }
}
