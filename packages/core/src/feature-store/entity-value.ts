import type { Entity } from '../definitions/entity.js';
import { ValueType } from '../proto/value-type.js';
import type { ValueProto } from '../proto/value.js';
import { conversionFailure, toEpochSeconds, toInt32, toInt64, toWellFormedString } from './convert.js';

/**
 * An entity's join-key value as a ValueProto of the entity's type, coerced as
 * Feast does (`python_values_to_proto_values` on the request's entity values):
 *
 * - STRING: a string; a bigint or a safe integer number becomes its decimal
 *   string (`1001` -> `"1001"`). A fractional or unsafe number is refused:
 *   its decimal text is ambiguous (Python writes `1e-05` where JavaScript
 *   writes `0.00001`).
 * - INT64: a bigint; a safe integer number; a string only when it is an exact
 *   decimal integer (`"1001"`, not `"1001.0"` or `"1e3"`).
 * - INT32: the same within -2^31..2^31-1.
 * - BYTES: a Uint8Array. UNIX_TIMESTAMP: a valid Date.
 *
 * With no declared type, the type is inferred (bigint or safe integer: INT64;
 * string: STRING; Uint8Array: BYTES; Date: UNIX_TIMESTAMP).
 *
 * @param where - names the row and key in error messages
 * @throws ValueConversionError when the value is lossy or ambiguous for the type
 */
export function entityValueToProto(value: unknown, entity: Entity | ValueType | undefined, where: string): ValueProto {
  const declared = typeof entity === 'number' ? entity : entity?.valueType;
  const type = declared ?? inferEntityType(value, where);
  switch (type) {
    case ValueType.STRING:
      if (typeof value === 'bigint') return { stringVal: value.toString() };
      if (typeof value === 'number') {
        if (Number.isSafeInteger(value)) return { stringVal: String(value) };
        return conversionFailure(where, 'a STRING join key: a string, or an integer number (a fractional or unsafe number has no unambiguous text; pass the string)', value);
      }
      return { stringVal: toWellFormedString(value, where, 'a STRING join key (a string)') };
    case ValueType.BYTES:
      return { bytesVal: value instanceof Uint8Array ? value : conversionFailure(where, 'a BYTES join key (a Uint8Array)', value) };
    case ValueType.INT32:
      return { int32Val: typeof value === 'string' && /^-?\d+$/.test(value) ? toInt32(BigInt(value), where) : toInt32(value, where) };
    case ValueType.INT64:
      return { int64Val: toInt64(value, where) };
    case ValueType.UNIX_TIMESTAMP:
      return { unixTimestampVal: toEpochSeconds(value, where) };
    default:
      return conversionFailure(where, 'an entity key of type STRING, BYTES, INT32, INT64 or UNIX_TIMESTAMP', value);
  }
}

function inferEntityType(value: unknown, where: string): ValueType {
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))) return ValueType.INT64;
  if (typeof value === 'string') return ValueType.STRING;
  if (value instanceof Uint8Array) return ValueType.BYTES;
  if (value instanceof Date) return ValueType.UNIX_TIMESTAMP;
  return conversionFailure(where, 'an entity key (bigint, safe integer, string, Uint8Array or Date)', value);
}
