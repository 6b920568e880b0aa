import type { z } from 'zod';

/** `FULL_REPO_CONFIGS[1].onlineStore: must be ...`: the first few zod issues, each with its path under `root`. */
export function describeZodIssues(error: z.ZodError, root: string): string {
  const lines = error.issues.slice(0, 3).map((issue) => {
    let where = root;
    for (const key of issue.path) where += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
    const message = issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
    return `${where}: ${message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return lines.join('; ') + more;
}
