import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The built executable: shebang, exit codes and stream use of a real process.
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const built = existsSync(BIN);
if (!built) console.warn('[cli] dist/bin.js is missing: build @feast-ts/cli to run the executable tests.');

describe.skipIf(!built)('dist/bin.js', () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'feast-ts-bin-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));
  const exec = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FEAST_TS_DEBUG: '' } });

  it('starts with a node shebang', async () => {
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('prints the version and help, exit 0', () => {
    const v = exec('--version');
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const h = exec('write', '--help');
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/^Usage: feast-ts write \[options\] <view> <file>/);
  });

  it('exits 2 on a usage error and 1 on a missing repo, with one stderr line', () => {
    const u = exec('frobnicate');
    expect(u.status).toBe(2);
    expect(u.stderr).toMatch(/^feast-ts: unknown command "frobnicate"[^\n]*\[USAGE\]\n$/);
    const m = exec('apply');
    expect(m.status).toBe(1);
    expect(m.stderr).toMatch(/^feast-ts: No feature repository at [^\n]*\[CONFIG_NOT_FOUND\]\n$/);
    expect(m.stdout).toBe('');
  });
});
