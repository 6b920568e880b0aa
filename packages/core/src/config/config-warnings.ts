/** The codes of the warnings feast-ts emits while loading feature_store.yaml. */
export type ConfigWarningCode = 'FEAST_TS_UNKNOWN_CONFIG_KEY' | 'FEAST_TS_DUPLICATE_CONFIG_KEY';

/** The `type` of every config warning (`process.on('warning', w => w.name === CONFIG_WARNING_TYPE)`). */
export const CONFIG_WARNING_TYPE = 'FeastConfigWarning';

const emitted = new Set<string>();

/**
 * Emits a config warning through `process.emitWarning` (type
 * {@link CONFIG_WARNING_TYPE}, the given code), once per `key` per process.
 * Listen with `process.on('warning', ...)`; `node --no-warnings` silences it.
 */
export function warnConfigOnce(code: ConfigWarningCode, key: string, message: string): void {
  const id = `${code}\u0000${key}`;
  if (emitted.has(id)) return;
  emitted.add(id);
  process.emitWarning(message, { type: CONFIG_WARNING_TYPE, code });
}
