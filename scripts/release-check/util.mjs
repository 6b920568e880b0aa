// Small helpers shared by the release check's stages.
import { spawn, spawnSync } from 'node:child_process';

/** A failure the check reports as one line naming what is at fault; `stage` says where it happened. */
export class CheckFailure extends Error {
  /**
   * @param {string} stage
   * @param {string[]} problems
   */
  constructor(stage, problems) {
    super(`${stage}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n- ${problems.join('\n- ')}`);
    this.name = 'CheckFailure';
    this.stage = stage;
    this.problems = problems;
  }
}

/** Runs a command to completion; throws when it cannot start. Returns status, stdout and stderr. */
export function run(cmd, args, options = {}) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  if (res.error) throw new Error(`${cmd} ${args.join(' ')}: ${res.error.message}`);
  return res;
}

/** Like {@link run}, but a non-zero exit throws with the command's output (last 4000 characters). */
export function runOk(cmd, args, options = {}) {
  const res = run(cmd, args, options);
  if (res.status !== 0) {
    const out = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim();
    throw new Error(`\`${cmd} ${args.join(' ')}\` exited with ${res.status} (in ${options.cwd ?? process.cwd()}):\n${out.slice(-4000)}`);
  }
  return res;
}

/** Milliseconds since `start`, as seconds with one decimal. */
export const seconds = (start) => `${((Date.now() - start) / 1000).toFixed(1)} s`;

/** The environment without any variable (of any case) whose lower-cased name is in `names`. */
export function envWithout(env, names) {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  return Object.fromEntries(Object.entries(env).filter(([k]) => !drop.has(k.toLowerCase())));
}

/**
 * Like {@link run} but without blocking this process (a server it runs, such
 * as the guard proxy, must keep answering). `timeout` kills the command.
 */
export function runAsync(cmd, args, { timeout, ...options } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = timeout ? setTimeout(() => child.kill('SIGKILL'), timeout) : undefined;
    child.on('error', (err) => reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}`)));
    child.on('close', (status, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}
