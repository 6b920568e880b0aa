/**
 * Environment expansion over the text of feature_store.yaml, before YAML
 * parsing, as Feast does with Python's `os.path.expandvars`: `$VAR` and
 * `${VAR}` are replaced by the variable's value when it is set and left as
 * written when it is not. feast-ts adds `${VAR:-default}` (the default when
 * VAR is unset). Every replacement and every unset reference is reported with
 * its position in the expanded text, so the loader can tell which YAML value
 * each one landed in.
 */

/** One reference that was replaced. Offsets are in the expanded text. */
export interface Substitution {
  /** The variable name. */
  name: string;
  /** The reference as written, such as `${MYSQL_PORT}`. */
  written: string;
  /** What it was replaced with. */
  value: string;
  start: number;
  end: number;
}

/** One reference to an unset variable (no default), left as written. Offsets are in the expanded text. */
export interface UnsetReference {
  name: string;
  written: string;
  start: number;
  end: number;
}

/** The result of {@link expandEnvText}. */
export interface ExpandedText {
  text: string;
  substitutions: Substitution[];
  unset: UnsetReference[];
}

// `${...}` (anything but a closing brace, as Python) or `$name` (ASCII word characters, as Python).
const REFERENCE = /\$(?:\{([^}]*)\}|(\w+))/g;
const BRACED = /^([A-Za-z_]\w*)(?::-([\s\S]*))?$/;
const ENV_NAME = /^[A-Za-z_]\w*$/;

/** Expands `$VAR`, `${VAR}` and `${VAR:-default}` in `text` from `env`. */
export function expandEnvText(text: string, env: NodeJS.ProcessEnv): ExpandedText {
  const substitutions: Substitution[] = [];
  const unset: UnsetReference[] = [];
  let out = '';
  let last = 0;
  for (const match of text.matchAll(REFERENCE)) {
    const written = match[0];
    const at = match.index;
    out += text.slice(last, at);
    last = at + written.length;
    let name: string;
    let fallback: string | undefined;
    if (match[1] !== undefined) {
      const braced = BRACED.exec(match[1]);
      name = braced ? braced[1]! : match[1];
      fallback = braced?.[2];
    } else {
      name = match[2]!;
    }
    const value = env[name] ?? fallback;
    if (value !== undefined) {
      substitutions.push({ name, written, value, start: out.length, end: out.length + value.length });
      out += value;
    } else {
      // Only real variable names are reported (Python also looks up `$1` or `${a b}`, which are never set).
      if (ENV_NAME.test(name)) unset.push({ name, written, start: out.length, end: out.length + written.length });
      out += written;
    }
  }
  out += text.slice(last);
  return { text: out, substitutions, unset };
}
