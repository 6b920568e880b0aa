import { EntityKeySerializationError } from '../errors.js';
import { ValueType } from '../proto/value-type.js';
import type { EntityKeyProto, ValueProto } from '../proto/value.js';

// ignoreBOM: a leading U+FEFF is part of the string (Python's bytes.decode('utf-8') keeps it), not a byte-order mark.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses bytes made by {@link serializeEntityKey} (version 3), as Feast's
 * `deserialize_entity_key` does. Join keys come back in their serialized
 * (sorted) order.
 *
 * @throws EntityKeySerializationError on truncated, malformed or unsupported input; never hangs on garbage
 */
export function deserializeEntityKey(bytes: Uint8Array, version: 3 = 3): EntityKeyProto {
  if (version !== 3) {
    throw new EntityKeySerializationError(
      `Only version 3 entity keys can be deserialized (version 2 keys carry no key lengths), got version ${String(version)}.`,
    );
  }
  if (!(bytes instanceof Uint8Array)) throw new EntityKeySerializationError('deserializeEntityKey expects a Uint8Array.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const need = (n: number, what: string): void => {
    if (pos + n > bytes.length) {
      throw new EntityKeySerializationError(
        `Truncated entity key: ${what} needs ${n} bytes at offset ${pos}, but only ${bytes.length - pos} remain (of ${bytes.length}).`,
      );
    }
  };
  const u32 = (what: string): number => {
    need(4, what);
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };

  const count = u32('the number of join keys');
  // Each key takes at least 8 bytes and each value at least 8: reject absurd counts before looping.
  if (count === 0 || count * 16 > bytes.length - 4) {
    throw new EntityKeySerializationError(`Malformed entity key: it claims ${count} join keys, which ${bytes.length} bytes cannot hold.`);
  }
  const joinKeys: string[] = [];
  for (let i = 0; i < count; i++) {
    const type = u32(`join key #${i} type`);
    if (type !== ValueType.STRING) {
      throw new EntityKeySerializationError(`Malformed entity key: join key #${i} has type ${type}; join keys are strings (2).`);
    }
    const len = u32(`join key #${i} length`);
    need(len, `join key #${i}`);
    joinKeys.push(decodeUtf8(bytes.subarray(pos, pos + len), `join key #${i}`));
    pos += len;
  }

  const entityValues: ValueProto[] = [];
  while (pos < bytes.length) {
    const i = entityValues.length;
    const type = u32(`value #${i} type`);
    const len = u32(`value #${i} length`);
    need(len, `value #${i}`);
    const body = bytes.subarray(pos, pos + len);
    pos += len;
    entityValues.push(decodeValue(type, body, i));
  }
  if (entityValues.length !== joinKeys.length) {
    throw new EntityKeySerializationError(
      `Malformed entity key: ${joinKeys.length} join keys but ${entityValues.length} values.`,
    );
  }
  return { joinKeys, entityValues };
}

function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch (cause) {
    throw new EntityKeySerializationError(`Malformed entity key: ${what} is not valid UTF-8.`, cause);
  }
}

function decodeValue(type: number, body: Uint8Array, i: number): ValueProto {
  const fixed = (size: number): DataView => {
    if (body.length !== size) {
      throw new EntityKeySerializationError(`Malformed entity key: value #${i} of type ${type} must be ${size} bytes, got ${body.length}.`);
    }
    return new DataView(body.buffer, body.byteOffset, body.byteLength);
  };
  switch (type) {
    case ValueType.STRING:
      return { stringVal: decodeUtf8(body, `value #${i}`) };
    case ValueType.BYTES:
      return { bytesVal: new Uint8Array(body) };
    case ValueType.INT32:
      return { int32Val: fixed(4).getInt32(0, true) };
    case ValueType.INT64:
      return { int64Val: fixed(8).getBigInt64(0, true) };
    case ValueType.UNIX_TIMESTAMP:
      return { unixTimestampVal: fixed(8).getBigInt64(0, true) };
    default:
      throw new EntityKeySerializationError(`Malformed entity key: value #${i} has unsupported type ${type}.`);
  }
}
