#!/usr/bin/env node
// Runs a command while a throwaway local registry holds a snapshot of every
// public package of this workspace (published and checked as in
// scripts/release-check.mjs, stages 1-4), then stops the registry.
//
// The command gets FEAST_TS_LOCAL_REGISTRY (the registry's URL) and
// FEAST_TS_SNAPSHOT_VERSIONS (JSON, name -> version). Install from it with
// `--@feast-ts:registry=$FEAST_TS_LOCAL_REGISTRY`; everything else still
// comes from the usual registry. Build first (pnpm build).
//
//   node scripts/with-local-registry.mjs -- bash scripts/guide-from-empty-folder.sh
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withLocalRegistry } from './release-check/local-registry.mjs';
import { CheckFailure } from './release-check/util.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sep = process.argv.indexOf('--');
const command = sep === -1 ? [] : process.argv.slice(sep + 1);
if (command.length === 0) {
  console.error('usage: node scripts/with-local-registry.mjs -- <command> [args...]');
  process.exit(2);
}
// The stages' log goes to stderr so that the command's own output stays apart.
const log = (line) => console.error(`[local registry] ${line.replace(/\n/g, '\n[local registry] ')}`);
try {
  await withLocalRegistry({ root: ROOT, source: ROOT, log }, async ({ url, versions }) => {
    const env = { ...process.env, FEAST_TS_LOCAL_REGISTRY: url, FEAST_TS_SNAPSHOT_VERSIONS: JSON.stringify(Object.fromEntries(versions)) };
    const code = await new Promise((resolve, reject) => {
      const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env });
      child.on('error', reject);
      child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
    });
    if (code !== 0) process.exitCode = code;
  });
} catch (err) {
  console.error(`with-local-registry: ${err instanceof CheckFailure ? err.message : err?.stack ?? err}`);
  process.exitCode = 1;
}
