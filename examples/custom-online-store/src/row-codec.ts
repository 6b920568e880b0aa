import { ValueConversionError, ValueProto } from '@feast-ts/core';

/** The first byte of every value this store writes: the layout below, version 1. */
const FORMAT = 1;

// #region row-codec
/**
 * One row of a view as the bytes of a KV value:
 *
 * | bytes | what |
 * |---|---|
 * | 1 | format version, `1` |
 * | 8 | event timestamp, epoch milliseconds, signed big-endian |
 * | then, per feature: 2 + n | the feature name's length (unsigned big-endian) and its UTF-8 |
 * | 4 + m | the length of the feature's `feast.types.Value` protobuf bytes, and the bytes |
 */
export function encodeRow(eventTs: Date, features: Readonly<Record<string, ValueProto>>): Uint8Array {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(9);
  head.writeUInt8(FORMAT, 0);
  head.writeBigInt64BE(BigInt(eventTs.getTime()), 1);
  parts.push(head);
  for (const [name, value] of Object.entries(features)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = ValueProto.encode(value);
    const lengths = Buffer.alloc(6);
    lengths.writeUInt16BE(nameBytes.length, 0);
    lengths.writeUInt32BE(valueBytes.length, 2);
    parts.push(lengths.subarray(0, 2), nameBytes, lengths.subarray(2), Buffer.from(valueBytes.buffer, valueBytes.byteOffset, valueBytes.length));
  }
  return Buffer.concat(parts);
}

/**
 * The event timestamp and the features named in `wanted` of a value written
 * by {@link encodeRow}. @throws ValueConversionError when the bytes are not such a value
 */
export function decodeRow(bytes: Uint8Array, wanted: ReadonlySet<string>): [Date, Record<string, ValueProto>] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const bad = (why: string): never => {
    throw new ValueConversionError(`a value of ${buf.length} bytes is not a row this store wrote (${why})`);
  };
  if (buf.length < 9 || buf[0] !== FORMAT) bad(buf.length < 9 ? 'too short' : `format byte ${buf[0]}, expected ${FORMAT}`);
  const eventTs = new Date(Number(buf.readBigInt64BE(1)));
  const features: Record<string, ValueProto> = {};
  let pos = 9;
  while (pos < buf.length) {
    if (pos + 2 > buf.length) bad('a feature name is cut short');
    const nameEnd = pos + 2 + buf.readUInt16BE(pos);
    if (nameEnd + 4 > buf.length) bad('a feature name is cut short');
    const name = buf.toString('utf8', pos + 2, nameEnd);
    const valueEnd = nameEnd + 4 + buf.readUInt32BE(nameEnd);
    if (valueEnd > buf.length) bad(`the value of "${name}" is cut short`);
    if (wanted.has(name)) features[name] = ValueProto.decode(buf.subarray(nameEnd + 4, valueEnd));
    pos = valueEnd;
  }
  return [eventTs, features];
}
// #endregion row-codec
