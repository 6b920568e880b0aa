/**
 * The protobuf descriptors in src/proto/generated/ are generated from proto/ (scripts/generate-proto.mjs,
 * run by `build`) and committed, so typecheck and tests work from a fresh clone; this fails when a
 * .proto file or the generator changed without regenerating them.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { feastCoreRoot } from '../src/proto/registry-schema.js';
import { feastTypesRoot } from '../src/proto/schema.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const generator = path.join(pkg, 'scripts', 'generate-proto.mjs');

function check(cwd: string, script = generator): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [script, '--check'], { cwd, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('generated protobuf descriptors', () => {
  it('are up to date with proto/ (regenerate with `pnpm --filter @feast-ts/core generate:proto`)', () => {
    const r = check(pkg);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('--check fails, naming the file, when a .proto changed without regenerating', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'feast-ts-protogen-'));
    try {
      cpSync(path.join(pkg, 'proto'), path.join(copy, 'proto'), { recursive: true });
      cpSync(path.join(pkg, 'src', 'proto', 'generated'), path.join(copy, 'src', 'proto', 'generated'), { recursive: true });
      cpSync(path.join(pkg, 'scripts'), path.join(copy, 'scripts'), { recursive: true });
      // protobufjs resolves from the copy's scripts/ through a node_modules link to this package's.
      cpSync(path.join(pkg, 'node_modules', 'protobufjs'), path.join(copy, 'node_modules', 'protobufjs'), { recursive: true, dereference: true });
      const value = path.join(copy, 'proto', 'feast', 'types', 'Value.proto');
      writeFileSync(value, readFileSync(value, 'utf8').replace(/message Value \{/, 'message Value {\n  string added_field = 999;'));
      const r = check(copy, path.join(copy, 'scripts', 'generate-proto.mjs'));
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/Out of date.*feast-types\.ts/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('load the same types the .proto files declare', () => {
    const value = feastTypesRoot.lookupType('feast.types.Value');
    expect(value.oneofs['val']?.fieldsArray.map((f) => f.name)).toContain('int64ListVal');
    expect(value.fields['int64Val']?.type).toBe('int64');
    expect(feastCoreRoot.lookupType('feast.core.Registry').fields['featureViews']?.repeated).toBe(true);
    expect(feastCoreRoot.lookupType('google.protobuf.Timestamp').fields['seconds']?.type).toBe('int64');
  });
});
