/**
 * Compares strings the way Python compares `str`: by Unicode code point.
 * JavaScript's `<` compares UTF-16 code units, which orders characters above
 * U+FFFF before U+E000..U+FFFF; UTF-8 byte order equals code point order.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // Only a surrogate against a non-surrogate in U+E000..U+FFFF sorts differently.
    const sa = ca >= 0xd800 && ca <= 0xdfff;
    const sb = cb >= 0xd800 && cb <= 0xdfff;
    if (sa && !sb) return cb >= 0xe000 ? 1 : ca - cb;
    if (sb && !sa) return ca >= 0xe000 ? -1 : ca - cb;
    return ca - cb;
  }
  return a.length - b.length;
}
