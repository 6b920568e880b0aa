import { FeastConfigError } from '../errors.js';

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed YAML
 * document with values from `env`. A variable that is unset and has no
 * default is an error naming the variable and the key that uses it.
 */
export function expandEnvVars(value: unknown, env: NodeJS.ProcessEnv, file: string, keyPath = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(VAR, (_match, name: string, fallback: string | undefined) => {
      const v = env[name];
      if (v !== undefined) return v;
      if (fallback !== undefined) return fallback;
      throw new FeastConfigError(
        `${file}: ${keyPath || 'a value'} uses \${${name}}, but the environment variable ${name} is not set. Set it, or write \${${name}:-default}.`,
        { file, keyPath },
      );
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expandEnvVars(v, env, file, `${keyPath}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = expandEnvVars(v, env, file, keyPath ? `${keyPath}.${k}` : k);
    return out;
  }
  return value;
}
