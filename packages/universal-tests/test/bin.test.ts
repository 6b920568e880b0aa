import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { UNIVERSAL_CHECK_IDS } from '../src/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

interface Run {
  code: number;
  output: string;
}

/** Runs the built bin from the package directory, with a clean environment (no parent vitest variables). */
function runBin(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('VITEST') && k !== 'FULL_REPO_CONFIGS_MODULE' && k !== 'NODE_OPTIONS' && k !== 'FORCE_COLOR') env[k] = v;
  }
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: packageDir, env: { ...env, ...extraEnv }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, output: `${stdout}\n${stderr}`.replace(/\u001b\[[0-9;]*m/g, '') });
    });
  });
}

describe('feast-universal-tests bin', () => {
  beforeAll(() => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (npx tsc -p tsconfig.build.json).`);
  });

  it('lists the check ids', async () => {
    const run = await runBin(['--list']);
    expect(run.code).toBe(0);
    for (const id of UNIVERSAL_CHECK_IDS) expect(run.output).toContain(id);
  });

  it('passes for a correct store given with --configs, honouring --only and --skip', async () => {
    const run = await runBin([
      '--configs', 'test/fixtures/memory-configs.ts',
      '--only', 'update-idempotent,round-trip-scalars,feature-store-write-read',
      '--skip', 'round-trip-scalars',
    ]);
    expect(run.output).toMatch(/Tests\s+2 passed \| 1 skipped \(3\)/);
    expect(run.code).toBe(0);
  });

  it('reads FULL_REPO_CONFIGS_MODULE (AVAILABLE_ONLINE_STORES form) and passes vitest arguments through', async () => {
    const run = await runBin(['--only', 'project-isolation', '--', '--reporter=verbose'], {
      FULL_REPO_CONFIGS_MODULE: 'test/fixtures/available-online-stores.ts',
    });
    expect(run.output).toContain('memory > two projects with the same view name');
    expect(run.output).toContain('memory-with-creator > two projects with the same view name');
    expect(run.code).toBe(0);
  });

  it('fails (exit 1) for a broken store, naming the failed check', async () => {
    const run = await runBin(['--configs', './test/fixtures/broken-configs.ts', '--only', 'project-isolation,update-idempotent']);
    expect(run.code).toBe(1);
    expect(run.output).toContain('[project-isolation]');
    expect(run.output).toMatch(/1 failed \| 1 passed/);
  });

  it('fails for an invalid configs module with a message naming it', async () => {
    const run = await runBin(['--configs', 'test/fixtures/invalid-configs.ts']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('FULL_REPO_CONFIGS[0].onlineStore');
    expect(run.output).toContain('invalid-configs.ts');
  });

  it('exits 2 when the configs module does not exist', async () => {
    const run = await runBin(['--configs', './test/fixtures/missing.ts']);
    expect(run.code).toBe(2);
    expect(run.output).toContain('"./test/fixtures/missing.ts" not found');
  });
});
