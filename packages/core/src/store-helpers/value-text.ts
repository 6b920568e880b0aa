import type { ValueProto } from '../proto/value.js';

/**
 * Python's `repr()` / `str()` of a float: the shortest digits that read back
 * as the same double (as JavaScript's), laid out as CPython does: fixed
 * notation with at least one fractional digit (`1.0`, `0.0001`) while the
 * decimal exponent is in -4 .. 15, else scientific with a two-digit exponent
 * (`1e-05`, `1.5e+16`); `inf`, `-inf`, `nan`.
 */
export function pythonFloatStr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e16) {
    // Where both print fixed notation, JavaScript's shortest round-trip digits are Python's:
    // only the `.0` of a whole number differs.
    const text = String(x);
    return text.includes('.') ? text : `${text}.0`;
  }
  const sign = x < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest round-trip digits.
  const [mantissa, exp] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const e = Number(exp);
  if (e < -4 || e >= 16) {
    const rest = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const absExp = Math.abs(e);
    return `${sign}${digits[0]}${rest}e${e < 0 ? '-' : '+'}${absExp < 10 ? '0' : ''}${absExp}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const intLen = e + 1;
  if (digits.length <= intLen) return `${sign}${digits}${'0'.repeat(intLen - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/**
 * The `value_text` column Feast's SQLite and PostgreSQL online stores write
 * next to each value (`helpers.extract_text_and_num`, used for full-text
 * search): the string of a `string_val`; Python's `str()` of an
 * `int64_val`, `int32_val`, `double_val` or `float_val` (a float32, widened
 * to double as Python's protobuf does); `"True"` / `"False"` for a
 * `bool_val`; `null` for every other kind and for an empty value.
 */
export function valueText(value: ValueProto): string | null {
  if (value.stringVal !== undefined) return value.stringVal;
  if (value.int64Val !== undefined) return value.int64Val.toString();
  if (value.int32Val !== undefined) return String(value.int32Val);
  if (value.doubleVal !== undefined) return pythonFloatStr(value.doubleVal);
  if (value.floatVal !== undefined) return pythonFloatStr(Math.fround(value.floatVal));
  if (value.boolVal !== undefined) return value.boolVal ? 'True' : 'False';
  return null;
}
