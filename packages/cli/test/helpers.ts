import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../src/io.js';
import { run } from '../src/main.js';

/** packages/core of this monorepo. */
export const CORE_DIR = fileURLToPath(new URL('../../core', import.meta.url));
/** packages/sqlite of this monorepo. */
export const SQLITE_DIR = fileURLToPath(new URL('../../sqlite', import.meta.url));
export const MEMORY_STORE = fileURLToPath(new URL('./fixtures/memory-store.mjs', import.meta.url));

/** A run() whose stdout and stderr are captured. */
export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in `cwd`, capturing its output. */
export async function cli(cwd: string, argv: string[], extra: Partial<CliIo> & { tty?: boolean } = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    cwd,
    env: { ...process.env, FEAST_TS_DEBUG: '', ...extra.env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: extra.tty ?? false, columns: 100 },
    ...(extra.stdin ? { stdin: extra.stdin } : {}),
  });
  return { code, stdout, stderr };
}

/**
 * A temporary directory standing in for a user's project: it "installs"
 * @feast-ts/core (a symlink into this monorepo) so definitions.ts can import it.
 */
export function tempProject(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feast-ts-cli-'));
  mkdirSync(path.join(dir, 'node_modules', '@feast-ts'), { recursive: true });
  symlinkSync(CORE_DIR, path.join(dir, 'node_modules', '@feast-ts', 'core'), 'dir');
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Points a repo at the in-memory test store (copied in as ./store.mjs). */
export function useMemoryStore(repo: string, project = 'test_repo'): void {
  copyFileSync(MEMORY_STORE, path.join(repo, 'store.mjs'));
  writeFileSync(
    path.join(repo, 'feature_store.yaml'),
    `project: ${project}\nregistry: data/registry.db\nonline_store:\n  type: ./store.mjs#MemoryOnlineStore\n`,
  );
}
