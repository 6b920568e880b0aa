import { FeastConfigError } from '../errors.js';
import type { Substitution, UnsetReference } from './env-text.js';
import { inComment, overlapsScalar, scalarHolding, sectionAt, type ScalarAt, type YamlSource } from './yaml-source.js';

/**
 * Checks that no environment value changed the structure of feature_store.yaml.
 *
 * Expansion happens over the text, before parsing (as Feast does), so a value
 * could otherwise add keys or cut a value short: a line break, `" #"` (the
 * rest becomes a comment), `": "`, a leading `{`, `[`, `&`, `*` or `!`. The rules:
 * - in a section feast-ts uses (`usedSections`, or before the first key), a
 *   value must have no line break and land inside one YAML scalar (or inside a
 *   comment), and inside a double-quoted scalar it must not contain a backslash
 *   (YAML would read it as an escape);
 * - in a section feast-ts ignores, a value must not contain a line break and
 *   must not reach into the next top-level key.
 *
 * @throws FeastConfigError naming the variable, the key and what to do
 */
export function checkSubstitutions(
  source: YamlSource,
  substitutions: readonly Substitution[],
  usedSections: ReadonlySet<string>,
  file: string,
): void {
  for (const sub of substitutions) {
    if (sub.value === '') continue; // nothing to inject; the key reads as null, as in Feast
    const section = sectionAt(source, sub.start);
    const lineBreak = /[\r\n]/.test(sub.value);
    const holder = scalarHolding(source, sub.start, sub.end);
    let problem: string | undefined;
    if (section === undefined || usedSections.has(section)) {
      if (lineBreak && holder) {
        problem = 'contains a line break, which YAML folds or splits; give a file path instead (for a certificate), or a one-line value';
      } else if (holder) {
        if (holder.style === 'QUOTE_DOUBLE' && sub.value.includes('\\')) {
          problem = 'contains a backslash inside a double-quoted value, which YAML reads as an escape; use single quotes around it';
        }
      } else if (lineBreak || overlapsScalar(source, sub.start, sub.end) || !inComment(source, sub.start)) {
        problem = 'does not fit in one YAML value (it contains a line break, " #", ": ", or starts with {, [, &, * or !); quote the reference in feature_store.yaml or change the value';
      }
    } else if (lineBreak) {
      problem = 'contains a line break, which would add lines to feature_store.yaml';
    } else if (sectionAt(source, Math.max(sub.start, sub.end - 1)) !== section) {
      problem = 'reaches past its own section into the next top-level key';
    }
    if (problem) {
      const keyPath = (holder ?? scalarNear(source, sub.start, section))?.keyPath ?? section ?? '(root)';
      throw new FeastConfigError(`${file}: ${keyPath}: the value of ${sub.written} (environment variable ${sub.name}) ${problem}.`, {
        file,
        keyPath,
      });
    }
  }
}

/** The scalar where `offset` is, else the last one before it in the same section (the key whose value it is). */
function scalarNear(source: YamlSource, offset: number, section: string | undefined): ScalarAt | undefined {
  const at = source.scalars.find((s) => s.start <= offset && offset < s.end);
  if (at) return at;
  const before = source.scalars.filter((s) => s.end <= offset).at(-1);
  return before && sectionAt(source, before.start) === section ? before : undefined;
}

/** An unset variable and the key whose value uses it. */
export interface UnsetInKey {
  ref: UnsetReference;
  keyPath: string;
  section: string;
}

/**
 * The references to unset variables that sit in a value of a section feast-ts
 * uses (references in comments and in sections it ignores are left as
 * written, as Feast leaves them).
 */
export function unsetInUsedSections(source: YamlSource, unset: readonly UnsetReference[], usedSections: ReadonlySet<string>): UnsetInKey[] {
  const found: UnsetInKey[] = [];
  for (const ref of unset) {
    const section = sectionAt(source, ref.start);
    if (section === undefined || !usedSections.has(section)) continue;
    const holder = scalarHolding(source, ref.start, ref.end);
    if (holder) found.push({ ref, keyPath: holder.keyPath, section });
  }
  return found;
}

/** The error for an unset variable used by a key feast-ts reads. */
export function unsetVariableError(file: string, found: UnsetInKey): FeastConfigError {
  const { ref, keyPath } = found;
  return new FeastConfigError(
    `${file}: ${keyPath} uses ${ref.written}, but the environment variable ${ref.name} is not set. ` +
      `Set it, or write \${${ref.name}:-default} to give a default.`,
    { file, keyPath },
  );
}
