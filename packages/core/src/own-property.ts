/**
 * `target[key] = value`, except that a key named `__proto__` becomes an own
 * enumerable property like any other instead of replacing the prototype: for
 * records keyed by names that come from data (features, map keys). Small, so
 * that hot loops inline it.
 */
export function setOwnProperty<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') defineOwn(target, key, value);
  else target[key] = value;
}

function defineOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
