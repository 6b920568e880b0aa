import type { UniversalCheck, UniversalCheckContext } from './types.js';

/** Builds a {@link UniversalCheck}. */
export function defineCheck(id: string, name: string, run: (ctx: UniversalCheckContext) => Promise<void>): UniversalCheck {
  return Object.freeze({ id, name, run });
}
