/**
 * Request bodies are parsed so that no integer loses precision: an integer
 * literal too large for a JavaScript number (beyond 2^53 - 1) becomes a
 * `bigint`; everything else parses as `JSON.parse` would.
 */

// Any integer that is not a safe integer has at least 16 digits; text without such a run parses exactly.
const SIXTEEN_DIGITS = /\d{16}/;
// Marks a long integer literal while JSON.parse runs; the nonce keeps real strings from looking like one.
const MARK = `\u0000int:${Math.random().toString(36).slice(2)}:`;
// The marker as JSON text (the NUL escaped), without the closing quote.
const MARK_JSON = JSON.stringify(MARK).slice(0, -1);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

function revive(_key: string, value: unknown): unknown {
  if (typeof value !== 'string' || !value.startsWith(MARK)) return value;
  const literal = value.slice(MARK.length);
  const n = Number(literal);
  return Number.isSafeInteger(n) ? n : BigInt(literal);
}

/**
 * Parses JSON text; integers outside the safe range become bigints.
 * @throws SyntaxError (from `JSON.parse`) when the text is not JSON
 */
export function parseJsonExact(text: string): unknown {
  if (!SIXTEEN_DIGITS.test(text)) return JSON.parse(text);
  let out = '';
  let copied = 0;
  let inString = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      continue;
    }
    if (c !== 45 && !isDigit(c)) continue;
    const digitsFrom = c === 45 ? i + 1 : i;
    let j = digitsFrom;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
    const next = text.charCodeAt(j);
    const integer = next !== 46 && next !== 101 && next !== 69; // no '.', 'e' or 'E' follows
    const leadingZero = text.charCodeAt(digitsFrom) === 48 && j - digitsFrom > 1; // invalid JSON: leave it to JSON.parse
    if (integer && !leadingZero && j - digitsFrom >= 16) {
      out += `${text.slice(copied, i)}${MARK_JSON}${text.slice(i, j)}"`;
      copied = j;
    } else {
      while (j < n && /[\d.eE+-]/.test(text[j]!)) j++;
    }
    i = j - 1;
  }
  if (copied === 0) return JSON.parse(text);
  return JSON.parse(out + text.slice(copied), revive) as unknown;
}
