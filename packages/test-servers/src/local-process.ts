/**
 * What every throwaway server here needs from the machine: finding a binary,
 * a free port on 127.0.0.1, the end of a log for an error message, and
 * cleanup of children and temp directories when the test process exits first.
 */
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

const SEARCH_DIRS = ['/usr/bin', '/usr/local/bin', '/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/local/mysql/bin', '/opt/homebrew/bin', '/usr/libexec', '/snap/bin'];

/** The first of `names` that is executable in `firstDirs`, the PATH or the usual bin/sbin directories. */
export function findExecutable(names: readonly string[], firstDirs: readonly string[] = []): string | undefined {
  const dirs = [...firstDirs, ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...SEARCH_DIRS];
  for (const name of names) {
    for (const dir of dirs) {
      const file = path.join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** Whether a TCP server can listen on `port` of 127.0.0.1 right now. */
export function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A free TCP port on 127.0.0.1, picked at random in 20000-49999 (away from the
 * kernel's ephemeral range, so a client socket cannot take it meanwhile). With
 * `alsoFree`, the port `port + alsoFree` is free too (Redis Cluster's bus port).
 */
export async function freePort(alsoFree?: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    if (!(await canListen(port))) continue;
    if (alsoFree !== undefined && !(await canListen(port + alsoFree))) continue;
    return port;
  }
  throw new Error('no free port found on 127.0.0.1 after 200 tries');
}

/** The last `lines` lines of a log file, for an error message. */
export function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** Kills `child` if the test process exits while it still runs. */
export function killOnExit(child: ChildProcess): void {
  installExitHook();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

/** Removes `dir` if the test process exits before {@link forgetDir}. */
export function removeOnExit(dir: string): void {
  installExitHook();
  liveDirs.add(dir);
}

/** The directory was removed (or handed over): nothing to do for it at exit. */
export function forgetDir(dir: string): void {
  liveDirs.delete(dir);
}
