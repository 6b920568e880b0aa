/**
 * Strings protobuf and UTF-8 can carry. A JavaScript string may hold a lone
 * UTF-16 surrogate (half of a pair, such as what slicing an emoji in two
 * leaves), which UTF-8 cannot encode: encoders write U+FFFD in its place, so
 * "x\uD800" and "x\uFFFD" would become the same bytes and the original is lost.
 */

const isWellFormedImpl = (String.prototype as unknown as { isWellFormed(this: string): boolean }).isWellFormed;
const LONE_SURROGATE = /\p{Cs}/u;

/** True when `text` has no lone surrogate (`String.prototype.isWellFormed`, ES2024). */
export function isWellFormedString(text: string): boolean {
  return isWellFormedImpl.call(text);
}

/** The index of the first lone surrogate in `text`, or -1 when it has none. */
export function loneSurrogateIndex(text: string): number {
  if (isWellFormedImpl.call(text)) return -1;
  return LONE_SURROGATE.exec(text)?.index ?? -1;
}

/** What to say about a string with a lone surrogate: where it is and what to do. */
export function loneSurrogateMessage(what: string, text: string): string {
  const at = loneSurrogateIndex(text);
  const unit = text.charCodeAt(at).toString(16).toUpperCase();
  return (
    `${what} holds a lone UTF-16 surrogate (U+${unit} at index ${at}), which UTF-8 cannot encode: it would be stored as U+FFFD ` +
    'and could no longer be told apart from other strings. Usually a string was cut between the two halves of a character ' +
    'such as an emoji; fix the value before writing it.'
  );
}
