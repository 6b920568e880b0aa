#!/usr/bin/env node
/**
 * `feast-universal-tests`: runs the universal online store suite against a
 * configs module by spawning vitest on the entry test file shipped in this
 * package. The configs module reaches the tests through the
 * FULL_REPO_CONFIGS_MODULE environment variable.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { universalChecks } from './checks/index.js';
import { RunnerDependencyError } from './errors.js';
import { FULL_REPO_CONFIGS_MODULE_ENV } from './load-configs.js';
import { resolveModuleSpecifier } from './resolve-module.js';
import { CliUsageError, parseCliArgs, USAGE } from './runner/cli-args.js';
import { ONLY_ENV, SKIP_ENV } from './runner/env.js';

/** The path of vitest's CLI script, resolved from this package (vitest is a peer dependency). */
function vitestCli(): string {
  const require = createRequire(import.meta.url);
  let manifestPath: string;
  try {
    manifestPath = require.resolve('vitest/package.json');
  } catch (cause) {
    throw new RunnerDependencyError(
      'vitest',
      'feast-universal-tests runs the suite with vitest, a peer dependency that is not installed: pnpm add -D vitest (or npm install -D vitest).',
      cause,
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.['vitest'];
  if (!bin) throw new RunnerDependencyError('vitest', `Cannot find the vitest CLI in ${manifestPath}: its package.json names no "vitest" bin. Reinstall vitest.`);
  return path.join(path.dirname(manifestPath), bin);
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseCliArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.list) {
    for (const c of universalChecks) console.log(`${c.id.padEnd(30)} ${c.name}`);
    return 0;
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  const configs = args.configs ?? (env[FULL_REPO_CONFIGS_MODULE_ENV]?.trim() || undefined);
  if (configs !== undefined) {
    // Resolve here, from the user's directory: vitest runs with this package's directory as its root.
    const url = resolveModuleSpecifier(configs, process.cwd());
    if (url === undefined) {
      console.error(`feast-universal-tests: configs module "${configs}" not found (neither a file relative to ${process.cwd()} nor an installed package).`);
      return 2;
    }
    env[FULL_REPO_CONFIGS_MODULE_ENV] = url.startsWith('file:') ? fileURLToPath(url) : url;
  }
  if (args.skip.length > 0) env[SKIP_ENV] = [...(env[SKIP_ENV] ? [env[SKIP_ENV]] : []), ...args.skip].join(',');
  if (args.only.length > 0) env[ONLY_ENV] = args.only.join(',');

  const runnerDir = fileURLToPath(new URL('./runner/', import.meta.url));
  // List every check by name unless the caller chose a reporter.
  const reporter = args.vitestArgs.some((a) => a.startsWith('--reporter')) ? [] : ['--reporter=verbose'];
  const vitestArgs = ['run', '--config', path.join(runnerDir, 'vitest.config.js'), '--root', runnerDir, ...reporter, ...args.vitestArgs];
  const child = spawn(process.execPath, [vitestCli(), ...vitestArgs], { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1)));
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof CliUsageError) console.error(`feast-universal-tests: ${err.message}\n\n${USAGE}`);
    else if (err instanceof RunnerDependencyError) console.error(`feast-universal-tests: ${err.message} [${err.code}]`);
    else console.error(err);
    process.exitCode = err instanceof CliUsageError ? 2 : 1;
  },
);
