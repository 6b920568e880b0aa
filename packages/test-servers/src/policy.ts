/**
 * Where a test's database server comes from, the same for every database:
 *
 * 1. a URL (or connection string) in an environment variable, when set;
 * 2. else a throwaway server this process starts from a local binary;
 * 3. else nothing, said loudly: outside CI the tests skip with a banner; with
 *    `CI` set that is a failure, never a skip.
 */

/** True when the CI environment variable is set to something other than false/0/empty. */
export function isCI(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** Something a test can talk to, and how to let it go. */
export interface StoppableServer {
  /** Human-readable origin for logs, such as `local redis-server 7.0.15 on 127.0.0.1:40123`. */
  readonly description: string;
  /** Stops a server this process started; does nothing for one given by the environment. */
  stop(): Promise<void>;
}

/** How to find one kind of server: see {@link acquireTestServer}. */
export interface TestServerSpec<S extends StoppableServer> {
  /** What the tests are, for messages: `Redis tests`. */
  what: string;
  /** The environment variable that names an existing server, such as `FEAST_REDIS_URL`. */
  envVar: string;
  /** Builds the server handle from the variable's value (it must not start anything). */
  fromEnv(value: string): S;
  /** Starts a throwaway server; returns a reason string when it cannot (no binary, start failed). */
  startThrowaway(): Promise<S | string>;
  /** What a developer can do when there is none, for the banner: `set FEAST_REDIS_URL=... or install redis-server`. */
  hint: string;
}

/** A server, or the reasons each source was passed over. */
export type AcquiredServer<S> =
  | { server: S; source: 'env' | 'throwaway'; reasons: string[] }
  | { server: undefined; source: undefined; reasons: string[] };

/** Finds a server in the documented order: the environment variable, then a throwaway one. */
export async function acquireTestServer<S extends StoppableServer>(spec: TestServerSpec<S>): Promise<AcquiredServer<S>> {
  const reasons: string[] = [];
  const value = process.env[spec.envVar]?.trim();
  if (value) return { server: spec.fromEnv(value), source: 'env', reasons };
  reasons.push(`${spec.envVar} is not set`);
  let started: S | string;
  try {
    started = await spec.startThrowaway();
  } catch (err) {
    started = `starting a throwaway server failed: ${(err as Error).message}`;
  }
  if (typeof started !== 'string') return { server: started, source: 'throwaway', reasons };
  reasons.push(started);
  return { server: undefined, source: undefined, reasons };
}

/** The message of {@link reportNoServer}, without the banner. */
export function noServerMessage(what: string, reasons: readonly string[], hint: string): string {
  return `${what}: no server available (${reasons.join('; ')}). ${hint}`;
}

/**
 * Says loudly that tests cannot run. With `CI` set this throws: a CI run must
 * never pass by skipping them. Outside CI it prints a banner and returns, and
 * the caller skips.
 */
export function reportNoServer(what: string, reasons: readonly string[], hint: string): void {
  const message = noServerMessage(what, reasons, hint);
  if (isCI()) throw new Error(`${message} CI is set, so this is a failure, not a skip.`);
  const bar = '!'.repeat(78);
  console.warn(`\n${bar}\n!! SKIPPED ${message}\n${bar}\n`);
}

/**
 * {@link acquireTestServer}, then {@link reportNoServer} when nothing was found:
 * a server, or undefined outside CI (after the banner). Throws in CI.
 */
export async function requireTestServer<S extends StoppableServer>(spec: TestServerSpec<S>): Promise<S | undefined> {
  const acquired = await acquireTestServer(spec);
  if (acquired.server) return acquired.server;
  reportNoServer(spec.what, acquired.reasons, spec.hint);
  return undefined;
}

/**
 * One server of a kind for every user in this process (the universal suite's
 * store creators): acquired ({@link acquireTestServer}) by the first
 * {@link hold}, stopped when the last holder lets it go (a server from the
 * environment is never stopped).
 */
export class SharedTestServer<S extends StoppableServer> {
  #acquired: Promise<AcquiredServer<S>> | undefined;
  #holders = 0;

  constructor(readonly spec: TestServerSpec<S>) {}

  /** The server, for one more holder; throws, naming the reasons, when there is none (still call {@link release}). */
  async hold(): Promise<S> {
    this.#holders++;
    this.#acquired ??= acquireTestServer(this.spec);
    const { server, reasons } = await this.#acquired;
    if (!server) throw new Error(`No server for ${this.spec.what}: ${reasons.join('; ')}`);
    return server;
  }

  /** One holder less; the last one stops the server. */
  async release(): Promise<void> {
    this.#holders--;
    if (this.#holders > 0 || !this.#acquired) return;
    const acquired = await this.#acquired;
    this.#acquired = undefined;
    await acquired.server?.stop();
  }
}

/**
 * The server a test started itself (`started`, from a `start...Server()`),
 * or undefined when it could not start: outside CI after a warning (the test
 * then returns), with `CI` set by throwing the reason.
 */
export function startedOrSkip<S>(started: S | string, what: string): S | undefined {
  if (typeof started !== 'string') return started;
  if (isCI()) throw new Error(`${what}: ${started}; CI is set, so this fails instead of skipping.`);
  console.warn(`SKIPPED ${what}: ${started}`);
  return undefined;
}
