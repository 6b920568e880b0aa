import type { UniversalCheck } from './checks/types.js';

/** True when `check` is named in `list`, by id, by name, or by its test title `name [id]`. */
export function isListed(check: UniversalCheck, list: readonly string[] | undefined): boolean {
  if (!list || list.length === 0) return false;
  const title = checkTitle(check);
  return list.some((entry) => {
    const e = entry.trim();
    return e === check.id || e === check.name || e === title;
  });
}

/** The test title of a check: `<name> [<id>]`, so `vitest -t <id>` selects it. */
export function checkTitle(check: UniversalCheck): string {
  return `${check.name} [${check.id}]`;
}

/** Splits a comma-separated list (from an environment variable or a flag); empty entries are dropped. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}
