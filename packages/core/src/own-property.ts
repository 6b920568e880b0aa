/**
 * `target[key] = value`, except that a key named `__proto__` becomes an own
 * enumerable property like any other instead of replacing the prototype: for
 * records keyed by names that come from data (features, map keys).
 */
export function setOwnProperty<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
