import { isMap, isScalar, isSeq, parseDocument, type Scalar } from 'yaml';

/** A scalar of the document (a value or a mapping key) and where its source text is. */
export interface ScalarAt {
  /** Dotted key path, such as `online_store.port` or `auth.roles[0]`. */
  keyPath: string;
  /** Offset of the scalar's first character (a quote included). */
  start: number;
  /** Offset just past its last character. */
  end: number;
  /** How it is written: `PLAIN`, `QUOTE_DOUBLE`, `QUOTE_SINGLE`, `BLOCK_LITERAL`, `BLOCK_FOLDED`. */
  style: string;
}

/** A top-level key and the offset where it starts. */
export interface SectionAt {
  key: string;
  start: number;
}

/** A parsed feature_store.yaml with the positions the loader needs. */
export interface YamlSource {
  /** The text that was parsed. */
  text: string;
  /** The document as plain data. */
  value: unknown;
  /** Parse errors (each with its line and column); empty when the text is valid YAML. */
  errors: string[];
  /** Every scalar, in document order. */
  scalars: ScalarAt[];
  /** Top-level keys in document order (empty when the document is not a mapping). */
  sections: SectionAt[];
  /** Key paths that appear more than once in their mapping (the last one wins, as in PyYAML). */
  duplicates: string[];
}

function keyName(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function collect(node: unknown, keyPath: string, out: YamlSource): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const name = keyName(pair.key);
      const childPath = keyPath ? `${keyPath}.${name}` : name;
      if (seen.has(name)) out.duplicates.push(childPath);
      seen.add(name);
      collect(pair.key, childPath, out);
      collect(pair.value, childPath, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => collect(item, `${keyPath}[${i}]`, out));
  } else if (isScalar(node) && node.range) {
    out.scalars.push({ keyPath, start: node.range[0], end: node.range[1], style: (node as Scalar).type ?? 'PLAIN' });
  }
}

/**
 * Parses YAML the way Feast's PyYAML `safe_load` reads it: YAML 1.1 (so `yes`,
 * `no`, `on`, `off` are booleans) and a repeated key keeps its last value.
 */
export function parseYamlSource(text: string): YamlSource {
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false, prettyErrors: true });
  const out: YamlSource = { text, value: undefined, errors: doc.errors.map((e) => e.message), scalars: [], sections: [], duplicates: [] };
  if (out.errors.length > 0) return out;
  out.value = doc.toJS();
  collect(doc.contents, '', out);
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const range = isScalar(pair.key) ? pair.key.range : undefined;
      if (range) out.sections.push({ key: keyName(pair.key), start: range[0] });
    }
  }
  return out;
}

/** The top-level key whose section holds `offset` (the last one starting at or before it). */
export function sectionAt(source: YamlSource, offset: number): string | undefined {
  let found: string | undefined;
  for (const s of source.sections) {
    if (s.start > offset) break;
    found = s.key;
  }
  return found;
}

/** The scalar whose source text holds the whole of `[start, end)`, if any. */
export function scalarHolding(source: YamlSource, start: number, end: number): ScalarAt | undefined {
  return source.scalars.find((s) => s.start <= start && end <= s.end);
}

/** True when `[start, end)` overlaps the source text of any scalar. */
export function overlapsScalar(source: YamlSource, start: number, end: number): boolean {
  return source.scalars.some((s) => s.start < end && start < s.end);
}

/** True when `offset` is inside a comment: a `#` at the start of its line or after a space, before it on the same line. */
export function inComment(source: YamlSource, offset: number): boolean {
  const lineStart = source.text.lastIndexOf('\n', offset - 1) + 1;
  return /(^|\s)#/.test(source.text.slice(lineStart, offset));
}
