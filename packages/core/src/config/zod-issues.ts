import type { z } from 'zod';
import { FeastConfigError } from '../errors.js';

/** Turns the first zod issue into a {@link FeastConfigError} naming the file and key path. */
export function configErrorFromZod(error: z.ZodError, file: string | undefined, prefix: string[]): FeastConfigError {
  const issue = error.issues[0]!;
  let keys = [...prefix, ...issue.path.map(String)];
  let reason = issue.message;
  if (issue.code === 'unrecognized_keys') {
    keys = [...keys, issue.keys[0]!];
    reason = `unknown key "${issue.keys[0]}" (check its spelling; allowed keys are in the store's docs)`;
  }
  const keyPath = keys.join('.') || '(root)';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return new FeastConfigError(`${file ?? 'config'}: ${keyPath}: ${reason}${more}`, { file, keyPath, cause: error });
}
