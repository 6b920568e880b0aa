import type { ValueProto } from './value.js';
import { isWellFormedString } from './well-formed.js';

/*
 * Writes feast.types.Value bytes for the common scalar members directly;
 * ValueProto.encode falls back to the generic (checked) protobuf encoder for
 * everything else. A write of N entities x F features encodes N*F values, and
 * the generic path (check, fromObject, encode, finish) costs more than the
 * database's own work on the row; this one is several times cheaper.
 * The output is byte for byte what the generic encoder writes for the same
 * value (the tests compare the two on every scalar type, edge values included):
 * one field, the member's tag, a oneof member written even when it holds its
 * default (0, "", false), as protobuf writes a set oneof.
 *
 * Handled: a plain object with exactly one own property, one of bytes_val
 * (a Uint8Array), string_val (a well-formed string), int32_val (an int32
 * number), int64_val and unix_timestamp_val (bigints within int64), double_val
 * and float_val (numbers), bool_val (a boolean); and the empty object (Feast's
 * null). Anything else (another member, a wrong type, a second property, an
 * undefined member) returns undefined for the generic path to check and encode
 * or refuse with its own message.
 */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const EMPTY = new Uint8Array(0);

/** Bytes of the unsigned varint of `v` (a non-negative number below 2^53). */
function varintSize(v: number): number {
  let size = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    size++;
  }
  return size;
}

function writeVarint(buf: Buffer, pos: number, v: number): number {
  while (v >= 128) {
    buf[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

/** `tag` then the varint of the int64 `v` (negative: its 64-bit two's complement, 10 bytes). */
function varint64Field(tag: number, v: bigint): Buffer {
  if (v >= 0n && v <= 0x1fffffffffffffn) {
    const n = Number(v);
    const buf = Buffer.allocUnsafe(1 + varintSize(n));
    buf[0] = tag;
    writeVarint(buf, 1, n);
    return buf;
  }
  let u = BigInt.asUintN(64, v);
  const bytes = [tag];
  while (u >= 0x80n) {
    bytes.push(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  bytes.push(Number(u));
  return Buffer.from(bytes);
}

/** `tag` then a length-delimited payload of `len` bytes; returns the buffer and where the payload starts. */
function lengthDelimited(tag: number, len: number): [Buffer, number] {
  const buf = Buffer.allocUnsafe(1 + varintSize(len) + len);
  buf[0] = tag;
  return [buf, writeVarint(buf, 1, len)];
}

/** The single own enumerable key of `value`, `""` for none, or undefined for several. */
function onlyKey(value: object): string | undefined {
  let key = '';
  for (const k in value) {
    if (key !== '' || !Object.hasOwn(value, k)) return undefined;
    key = k;
  }
  return key;
}

/**
 * Encodes a Value holding one scalar member (or none), or returns `undefined`
 * when it is anything else, for the generic encoder to handle.
 */
export function encodeScalarValue(value: ValueProto): Uint8Array | undefined {
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const key = onlyKey(value);
  if (key === undefined) return undefined;
  if (key === '') return EMPTY;
  const member: unknown = (value as Record<string, unknown>)[key];
  switch (key) {
    case 'int64Val':
    case 'unixTimestampVal':
      if (typeof member !== 'bigint' || member < INT64_MIN || member > INT64_MAX) return undefined;
      return varint64Field(key === 'int64Val' ? 0x20 : 0x40, member);
    case 'doubleVal': {
      if (typeof member !== 'number') return undefined;
      const buf = Buffer.allocUnsafe(9);
      buf[0] = 0x29;
      buf.writeDoubleLE(member, 1);
      return buf;
    }
    case 'floatVal': {
      if (typeof member !== 'number') return undefined;
      const buf = Buffer.allocUnsafe(5);
      buf[0] = 0x35;
      buf.writeFloatLE(member, 1);
      return buf;
    }
    case 'int32Val':
      if (typeof member !== 'number' || !Number.isInteger(member) || member < -(2 ** 31) || member > 2 ** 31 - 1) return undefined;
      if (member >= 0) {
        const buf = Buffer.allocUnsafe(1 + varintSize(member));
        buf[0] = 0x18;
        writeVarint(buf, 1, member);
        return buf;
      }
      // A negative int32 is sign-extended to 64 bits on the wire, as protobuf writes it.
      return varint64Field(0x18, BigInt(member));
    case 'boolVal':
      if (typeof member !== 'boolean') return undefined;
      return Buffer.from([0x38, member ? 1 : 0]);
    case 'stringVal': {
      if (typeof member !== 'string' || !isWellFormedString(member)) return undefined;
      const len = Buffer.byteLength(member, 'utf8');
      const [buf, at] = lengthDelimited(0x12, len);
      buf.write(member, at, 'utf8');
      return buf;
    }
    case 'bytesVal': {
      if (!(member instanceof Uint8Array)) return undefined;
      const [buf, at] = lengthDelimited(0x0a, member.byteLength);
      buf.set(member, at);
      return buf;
    }
    default:
      return undefined;
  }
}
