import { randomBytes } from 'node:crypto';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import { RegistryLockedError } from '../errors.js';

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /** How long to wait for another writer, in ms. Default 15000. */
  timeoutMs?: number;
  /** A lock older than this (ms) is taken over, whoever holds it. Default 30000. */
  staleMs?: number;
}

interface LockContent {
  pid: number;
  host: string;
  token: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(lockFile: string): Promise<{ text: string; content: LockContent | undefined; mtimeMs: number } | undefined> {
  try {
    const [text, st] = await Promise.all([readFile(lockFile, 'utf8'), stat(lockFile)]);
    let content: LockContent | undefined;
    try {
      content = JSON.parse(text) as LockContent;
    } catch {
      content = undefined; // being written right now, or not ours
    }
    return { text, content, mtimeMs: st.mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Runs `fn` while holding an exclusive lock file (created with O_EXCL, so two processes can never
 * both hold it). A lock left by a process that died on this host, or older than `staleMs`, is taken
 * over. The lock is released when `fn` settles, whether it succeeded or threw.
 * @throws RegistryLockedError when another live writer holds the lock past `timeoutMs`
 */
export async function withFileLock<T>(lockFile: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const staleMs = options.staleMs ?? 30_000;
  const mine: LockContent = { pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex') };
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx');
      try {
        await handle.writeFile(JSON.stringify(mine));
      } finally {
        await handle.close();
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = await readLock(lockFile);
    if (held) {
      const deadOwner = held.content && held.content.host === mine.host && !processAlive(held.content.pid);
      if (deadOwner || Date.now() - held.mtimeMs > staleMs) {
        // Take the stale lock over, unless someone else did so since we read it.
        const again = await readLock(lockFile);
        if (again && again.text === held.text) await unlink(lockFile).catch(() => undefined);
        continue;
      }
    }
    if (Date.now() > deadline) {
      const who = held?.content ? `process ${held.content.pid} on ${held.content.host}` : 'another process';
      throw new RegistryLockedError(
        lockFile,
        `Timed out after ${timeoutMs} ms waiting for the registry lock ${lockFile}, held by ${who} that is writing the registry. ` +
          'Try again when that write has finished.',
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 100);
  }
  try {
    return await fn();
  } finally {
    const held = await readLock(lockFile).catch(() => undefined);
    if (held?.content?.token === mine.token) await unlink(lockFile).catch(() => undefined);
  }
}
