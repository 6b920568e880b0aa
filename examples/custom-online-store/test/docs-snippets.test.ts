/**
 * The how-to guide and this README copy their code from this package; this
 * keeps them equal (the repo-wide check is `pnpm docs:check`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const docs = ['docs/how-to/adding-a-new-online-store.md', 'examples/custom-online-store/README.md'];

it('the guide and the README show this package\'s code as it is', () => {
  const res = spawnSync(process.execPath, ['scripts/check-docs-snippets.mjs', ...docs], { cwd: root, encoding: 'utf8' });
  expect(res.stderr).toBe('');
  expect(res.status).toBe(0);
});
