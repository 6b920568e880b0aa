/**
 * A direct encoder for `feast.types.Value` holding one scalar (the common
 * case on the write path), byte for byte what protobuf writes (a oneof member
 * is written even when it holds its default). Anything else, and any value
 * that is not exactly what it should be, goes to core's `ValueProto.encode`,
 * which also throws the typed error for bad input.
 */
import { ValueProto } from '@feast-ts/core';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const scratch = new DataView(new ArrayBuffer(8));

function varintSize(v: bigint): number {
  let n = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    n++;
  }
  return n;
}

/** A non-negative safe integer as a tagged varint, with number arithmetic (no BigInt steps). */
function taggedSafe(tag: number, n: number): Buffer {
  let size = 2;
  for (let m = n; m >= 0x80; m = Math.floor(m / 0x80)) size++;
  const out = Buffer.allocUnsafe(size);
  out[0] = tag;
  let pos = 1;
  while (n >= 0x80) {
    out[pos++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  out[pos] = n;
  return out;
}

function tagged64(tag: number, value: bigint): Buffer {
  if (value >= 0n && value <= MAX_SAFE) return taggedSafe(tag, Number(value));
  let v = BigInt.asUintN(64, value);
  if (v < 0x80n) return Buffer.from([tag, Number(v)]);
  const out = Buffer.allocUnsafe(1 + varintSize(v));
  out[0] = tag;
  let pos = 1;
  while (v >= 0x80n) {
    out[pos++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  out[pos] = Number(v);
  return out;
}

function tagged32(tag: number, value: number): Buffer {
  if (value < 0) return tagged64(tag, BigInt(value));
  if (value < 0x80) return Buffer.from([tag, value]);
  const bytes = [tag];
  while (value >= 0x80) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

function lengthDelimited(tag: number, payload: Uint8Array): Buffer {
  const head = tagged32(tag, payload.length);
  const out = Buffer.allocUnsafe(head.length + payload.length);
  head.copy(out, 0);
  out.set(payload, head.length);
  return out;
}

function encodeScalar(value: ValueProto): Buffer | undefined {
  let found: string | undefined;
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined || v === null) continue;
    if (found !== undefined) return undefined; // two members set: let core say so
    found = k;
  }
  switch (found) {
    case 'int64Val':
    case 'unixTimestampVal': {
      const v = value[found];
      if (typeof v !== 'bigint' || v < INT64_MIN || v > INT64_MAX) return undefined;
      return tagged64(found === 'int64Val' ? 0x20 : 0x40, v);
    }
    case 'doubleVal': {
      const v = value.doubleVal;
      if (typeof v !== 'number') return undefined;
      const out = Buffer.allocUnsafe(9);
      out[0] = 0x29;
      out.writeDoubleLE(v, 1); // NaN's bits as V8 holds them, as DataView wrote them
      return out;
    }
    case 'floatVal': {
      const v = value.floatVal;
      if (typeof v !== 'number') return undefined;
      scratch.setFloat32(0, v, true);
      return Buffer.from([0x35, scratch.getUint8(0), scratch.getUint8(1), scratch.getUint8(2), scratch.getUint8(3)]);
    }
    case 'int32Val': {
      const v = value.int32Val;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < -(2 ** 31) || v > 2 ** 31 - 1) return undefined;
      return tagged32(0x18, v);
    }
    case 'boolVal': {
      const v = value.boolVal;
      if (typeof v !== 'boolean') return undefined;
      return Buffer.from([0x38, v ? 1 : 0]);
    }
    case 'stringVal': {
      const v = value.stringVal;
      // Strings with surrogates (emoji, or a lone one) take core's encoder, whose handling of a lone surrogate is the reference.
      if (typeof v !== 'string' || /[\uD800-\uDFFF]/.test(v)) return undefined;
      return lengthDelimited(0x12, Buffer.from(v, 'utf8'));
    }
    case 'bytesVal': {
      const v = value.bytesVal;
      if (!(v instanceof Uint8Array)) return undefined;
      return lengthDelimited(0x0a, v);
    }
    default:
      return undefined;
  }
}

/** The protobuf bytes of a Value. @throws ValueConversionError (from core) on a malformed value */
export function encodeValue(value: ValueProto): Buffer {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const fast = encodeScalar(value);
    if (fast) return fast;
  }
  const bytes = ValueProto.encode(value);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
