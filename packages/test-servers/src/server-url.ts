/** The parts of a database server URL (`scheme://user:pass@host:port/db`). */
export interface ServerUrlParts {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string | undefined;
}

/**
 * Splits a server URL whose scheme is one of `schemes` (e.g. `['mysql:', 'mariadb:']`), with the
 * server's default port and user where the URL has none; host defaults to 127.0.0.1.
 */
export function parseServerUrl(url: string, schemes: readonly string[], defaults: { port: number; user: string }): ServerUrlParts {
  const u = new URL(url);
  if (!schemes.includes(u.protocol)) throw new Error(`Not a ${schemes[0]}// URL: ${url}`);
  const db = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: u.port ? Number(u.port) : defaults.port,
    user: decodeURIComponent(u.username) || defaults.user,
    password: decodeURIComponent(u.password),
    database: db || undefined,
  };
}

/** A server some environment variable names: its URL and parts, and nothing to stop. */
export interface UrlServer extends ServerUrlParts {
  readonly url: string;
  readonly description: string;
  stop(): Promise<void>;
}

/**
 * The handle of a server that `envVar` names (`url`, already split into `parts`):
 * `stop()` does nothing, and the description leaves out the password.
 */
export function urlServer(url: string, parts: ServerUrlParts, what: string, envVar: string): UrlServer {
  return {
    ...parts,
    url,
    description: `${what} from ${envVar} (${parts.user}@${parts.host}:${parts.port})`,
    async stop() {},
  };
}
