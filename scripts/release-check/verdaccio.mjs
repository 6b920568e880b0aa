// A throwaway Verdaccio: installed from npm once into .tmp/ (reused by later
// runs), started with its storage in a temp dir, on a free loopback port,
// with no uplinks and anonymous publish for @feast-ts/*.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './loopback.mjs';
import { runOk } from './util.mjs';

export const VERDACCIO_VERSION = '6.8.0';

/** Installs Verdaccio into `<cacheRoot>/verdaccio-<version>` unless it is there; returns its bin script. */
export function installVerdaccio(cacheRoot, log) {
  const dir = path.join(cacheRoot, `verdaccio-${VERDACCIO_VERSION}`);
  const bin = path.join(dir, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  const manifest = path.join(dir, 'node_modules', 'verdaccio', 'package.json');
  if (existsSync(bin) && JSON.parse(readFileSync(manifest, 'utf8')).version === VERDACCIO_VERSION) {
    log(`  verdaccio ${VERDACCIO_VERSION}: already installed in ${dir}`);
    return bin;
  }
  mkdirSync(dir, { recursive: true });
  // node-fetch 3 (what Verdaccio 6.8 asks for) needs Node 22; 2.7 has the same API for its use.
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'release-check-verdaccio', private: true, dependencies: { verdaccio: VERDACCIO_VERSION }, overrides: { 'node-fetch': '2.7.0' } }, null, 2),
  );
  log(`  npm install verdaccio@${VERDACCIO_VERSION} into ${dir}`);
  runOk('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--no-package-lock'], { cwd: dir });
  return bin;
}

function configYaml(storage) {
  return [
    `storage: ${JSON.stringify(storage)}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(path.join(storage, '..', 'htpasswd'))}`,
    '    max_users: -1',
    '# No uplinks: nothing is fetched from, or forwarded to, any other registry.',
    'uplinks: {}',
    'packages:',
    "  '@feast-ts/*':",
    '    access: $all',
    '    publish: $anonymous $authenticated',
    '    unpublish: $anonymous $authenticated',
    "  '**':",
    '    access: $all',
    'publish:',
    '  allow_offline: true',
    'log: { type: stdout, format: pretty, level: http }',
    '',
  ].join('\n');
}

async function waitForPing(url, child, deadline) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      const res = await fetch(`${url}-/ping`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/**
 * Starts Verdaccio with storage in `workDir`; returns `{ url, stop, log }`.
 * A port taken between picking and listening is retried on another one.
 */
export async function startVerdaccio(bin, workDir) {
  const storage = path.join(workDir, 'storage');
  mkdirSync(storage, { recursive: true });
  const config = path.join(workDir, 'config.yaml');
  writeFileSync(config, configYaml(storage));
  const logFile = path.join(workDir, 'verdaccio.log');
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], { cwd: workDir, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const killNow = () => child.kill('SIGKILL');
    process.on('exit', killNow);
    if (await waitForPing(url, child, Date.now() + 30_000)) {
      const stop = async () => {
        process.off('exit', killNow);
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      };
      return { url, port, pid: child.pid, stop, logFile, readLog: () => readFileSync(logFile, 'utf8') };
    }
    killNow();
    process.off('exit', killNow);
    if (attempt === 3) throw new Error(`Verdaccio did not answer on ${url} within 30 s; its log (${logFile}):\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
  }
  throw new Error('unreachable');
}
