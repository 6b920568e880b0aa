import type { ValueProto } from '@feast-ts/core';

/**
 * Python's `repr(float)` (which `str()` gives too): the shortest digits that
 * read back as the same double, in fixed notation for exponents -4..15 (always
 * with a fraction, `1.0`), else scientific with a signed two-digit exponent
 * (`1e+16`, `1e-05`); `nan`, `inf`, `-inf`.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without digits gives the shortest round-trip digits, as Python's repr does.
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exp = Number(exponent);
  if (exp < -4 || exp >= 16) {
    const rest = digits.slice(1);
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${digits[0]}${rest ? `.${rest}` : ''}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fraction = digits.slice(exp + 1);
  return `${sign}${whole}.${fraction || '0'}`;
}

/**
 * The `value_text` column as Feast writes it (`extract_text_and_num` in its
 * online store helpers): a string value as is; an int32, int64, float or
 * double as Python's `str()` of the number; a bool as `True` / `False`;
 * `null` for every other type and for Feast's null.
 */
export function valueText(value: ValueProto): string | null {
  if (value.stringVal !== undefined && value.stringVal !== null) return value.stringVal;
  if (value.int64Val !== undefined && value.int64Val !== null) return value.int64Val.toString();
  if (value.doubleVal !== undefined && value.doubleVal !== null) return pythonFloatRepr(value.doubleVal);
  if (value.floatVal !== undefined && value.floatVal !== null) return pythonFloatRepr(Math.fround(value.floatVal));
  if (value.int32Val !== undefined && value.int32Val !== null) return String(value.int32Val);
  if (value.boolVal !== undefined && value.boolVal !== null) return value.boolVal ? 'True' : 'False';
  return null;
}
