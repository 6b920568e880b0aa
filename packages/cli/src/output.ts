/**
 * Output formatting: JSON that keeps bigints exact, and plain-text tables.
 */

/**
 * `JSON.stringify` for values that may hold bigints (written as JSON numbers,
 * digit for digit), Dates (ISO strings), Uint8Arrays (base64 strings), Sets
 * (arrays) and Maps (arrays of [key, value] pairs).
 * Non-finite numbers become null. Arrays of scalars stay on one line when
 * `indent` is set, so column-shaped results read well.
 */
export function stringifyExact(value: unknown, indent = 0): string {
  return write(value, indent, '');
}

function write(value: unknown, indent: number, pad: string): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      return 'null';
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'null' : JSON.stringify(value.toISOString());
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'));
  if (value instanceof Set) return write([...value], indent, pad);
  if (value instanceof Map) return write([...value], indent, pad);
  const inner = pad + ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => write(v, indent, inner));
    const flat = indent === 0 || value.every((v) => v === null || typeof v !== 'object' || v instanceof Date || v instanceof Uint8Array);
    return flat ? `[${items.join(indent ? ', ' : ',')}]` : `[\n${inner}${items.join(`,\n${inner}`)}\n${pad}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) return '{}';
  const items = entries.map(([k, v]) => `${JSON.stringify(k)}:${indent ? ' ' : ''}${write(v, indent, inner)}`);
  return indent === 0 ? `{${items.join(',')}}` : `{\n${inner}${items.join(`,\n${inner}`)}\n${pad}}`;
}

/** Formats rows as a plain-text table with a header line; cells are stringified with {@link stringifyExact} unless strings. */
export function formatTable(columns: string[], rows: unknown[][]): string {
  const cell = (v: unknown): string => (typeof v === 'string' ? v : stringifyExact(v));
  const text = rows.map((r) => r.map(cell));
  const widths = columns.map((c, i) => Math.max(c.length, ...text.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n') + '\n';
}
