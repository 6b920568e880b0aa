import { parseJsonExact, JsonSyntaxError, type ExactJson } from './json-exact.js';

/** One JSON-lines record with its 1-based line number. */
export interface JsonlRow {
  line: number;
  values: Record<string, ExactJson>;
}

/** Thrown when a line is not a JSON object. */
export class JsonlSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
    this.name = 'JsonlSyntaxError';
  }
}

/**
 * Parses JSON lines (one object per line; blank lines skipped). Integers beyond
 * 2^53 are kept exact as bigints (see {@link parseJsonExact}).
 * @throws JsonlSyntaxError
 */
export function parseJsonl(text: string): JsonlRow[] {
  const rows: JsonlRow[] = [];
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k]!.replace(/\r$/, '');
    const line = k === 0 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    let value: ExactJson;
    try {
      value = parseJsonExact(line);
    } catch (err) {
      const msg = err instanceof JsonSyntaxError ? err.message : String(err);
      throw new JsonlSyntaxError(`line ${k + 1}: not valid JSON (${msg})`, k + 1);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new JsonlSyntaxError(`line ${k + 1}: expected a JSON object per line`, k + 1);
    }
    rows.push({ line: k + 1, values: value });
  }
  return rows;
}
