import { FeastConfigBaseModel, parseOnlineStoreConfig, type OnlineStoreConfig, type RepoConfig } from '@feast-ts/core';
import { z } from 'zod';

/** Default of `host` (Feast's MySQL store uses 127.0.0.1; `localhost` reaches the same server over TCP). */
export const DEFAULT_HOST = 'localhost';
/** Default of `port`. */
export const DEFAULT_PORT = 3306;
/** Default of `user`, as in Feast's MySQL store. */
export const DEFAULT_USER = 'test';
/** Default of `password`, as in Feast's MySQL store. */
export const DEFAULT_PASSWORD = 'test';
/** Default of `database`, as in Feast's MySQL store. */
export const DEFAULT_DATABASE = 'feast';
/** Default of `pool_size`: connections kept per distinct connection settings. */
export const DEFAULT_POOL_SIZE = 10;
/** Default of `connect_timeout`, in seconds. */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
/** Default of `query_timeout`, in seconds: the deadline of each read or write statement. */
export const DEFAULT_QUERY_TIMEOUT_SECONDS = 30;
/** Default of `acquire_timeout`, in seconds: the wait for a free pooled connection. */
export const DEFAULT_ACQUIRE_TIMEOUT_SECONDS = 10;
/** Default of `write_chunk_size`: (entity, feature) rows per INSERT statement. */
export const DEFAULT_WRITE_CHUNK_SIZE = 1000;
/**
 * Upper bound of `write_chunk_size`: 5 values per row, kept within the 65,535
 * placeholders a MySQL statement may carry, so a chunk is always a legal statement.
 */
export const MAX_WRITE_CHUNK_SIZE = Math.floor(65_535 / 5);

/** Schema of the `ssl` key: TLS options for the connection. */
export const MySQLSslOptions = z.strictObject({
  /** CA certificate(s) to trust: a PEM string, or a file path relative to the feature repo. */
  ca: z.string().min(1).optional(),
  /** Client certificate for mutual TLS: PEM or file path. */
  cert: z.string().min(1).optional(),
  /** Client private key for mutual TLS: PEM or file path. */
  key: z.string().min(1).optional(),
  /** Verify the server's certificate against `ca` (or the system CAs); default true. */
  reject_unauthorized: z.boolean().default(true),
});

/** The `ssl` key of {@link MySQLOnlineStoreConfig} after parsing. */
export type MySQLSslConfig = z.output<typeof MySQLSslOptions>;

/** What a `mysql://user:password@host:port/database` URL names. */
interface UrlParts {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
}

function parseUrl(url: string): UrlParts | string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL; write it as mysql://user:password@host:3306/database';
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    return `has scheme "${u.protocol}"; use mysql://user:password@host:3306/database`;
  }
  if (u.search || u.hash) {
    return 'has a query string or fragment; give options such as ssl or pool_size as keys of online_store instead';
  }
  const parts: UrlParts = {};
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  if (host) parts.host = host;
  if (u.port) parts.port = Number(u.port);
  try {
    if (u.username) parts.user = decodeURIComponent(u.username);
    if (u.password) parts.password = decodeURIComponent(u.password);
    const db = u.pathname.replace(/^\//, '');
    if (db.includes('/')) return 'has a path with more than one segment; the path names the database: mysql://host/database';
    if (db) parts.database = decodeURIComponent(db);
  } catch {
    return 'has malformed percent-encoding in the user, password or database';
  }
  return parts;
}

const CONNECTION_KEYS = ['host', 'port', 'user', 'password', 'database'] as const;

/**
 * The `online_store` section of feature_store.yaml for {@link MySQLOnlineStore}.
 * Keys are snake_case, as in Feast; an unknown key is an error that names it.
 *
 * ```yaml
 * online_store:
 *   type: mysql
 *   host: db.internal        # default localhost
 *   port: 3306
 *   user: feast              # default test (as Feast)
 *   password: ${MYSQL_PASSWORD}
 *   database: feast          # default feast (as Feast)
 *   pool_size: 10
 *   connect_timeout: 10      # seconds
 *   query_timeout: 30        # seconds per read or write statement (and row-lock wait)
 *   acquire_timeout: 10      # seconds to wait for a free pooled connection
 *   write_chunk_size: 1000   # rows per INSERT statement
 *   ssl:
 *     ca: certs/ca.pem       # PEM text or a path relative to the feature repo
 * ```
 *
 * Instead of host/port/user/password/database, `url: mysql://user:pass@host:3306/db`
 * may be given. A key given alongside `url` must agree with it (a key may fill in
 * what the URL leaves out, such as the password).
 *
 * Parsing fills in every default, so the output always has `host`, `port`,
 * `user`, `password` and `database`. As in Feast (`Optional[...]`), the keys Feast
 * has (`host`, `port`, `user`, `password`, `database`, `batch_write`,
 * `batch_size`) may be `null`, which means the default. `type` may also be
 * Feast's class path, `feast.infra.online_stores.mysql_online_store.mysql.MySQLOnlineStore`.
 */
export const MySQLOnlineStoreConfig = FeastConfigBaseModel.extend({
  /** `mysql`, or a module + export naming this store. */
  type: z.string().min(1).default('mysql'),
  /** `mysql://user:password@host:port/database` (percent-encode special characters); an alternative to the keys below. */
  url: z.string().min(1).optional(),
  /** Server host name or IP; default `localhost`. */
  host: z.string().min(1).nullish(),
  /** Server TCP port; default 3306. */
  port: z.number().int().min(1).max(65_535).nullish(),
  /** User name; default `test` (Feast's default). */
  user: z.string().min(1).nullish(),
  /** Password; default `test` (Feast's default). `""` means no password. */
  password: z.string().nullish(),
  /** Database (schema) that holds the tables; default `feast` (Feast's default). It must exist. */
  database: z.string().min(1).nullish(),
  /** Most connections open at once per distinct connection settings; default 10. */
  pool_size: z.number().int().min(1).max(1000).default(DEFAULT_POOL_SIZE),
  /** Seconds to wait for a connection (TCP connect and handshake); default 10. Fractions allowed (0.5). */
  connect_timeout: z.number().positive().max(3600).default(DEFAULT_CONNECT_TIMEOUT_SECONDS),
  /**
   * Seconds each read or write statement may take, and a write may wait for a
   * row lock another client holds, before the call fails with a `timeout`
   * error; default 30. Fractions allowed.
   */
  query_timeout: z.number().positive().max(86_400).default(DEFAULT_QUERY_TIMEOUT_SECONDS),
  /**
   * Seconds a call waits for a free connection when all `pool_size`
   * connections are busy, before it fails with a `timeout` error; default 10.
   */
  acquire_timeout: z.number().positive().max(86_400).default(DEFAULT_ACQUIRE_TIMEOUT_SECONDS),
  /** TLS: `true` for TLS with the system CAs, or an object with `ca`, `cert`, `key`, `reject_unauthorized`. */
  ssl: z.union([z.boolean(), MySQLSslOptions]).optional(),
  /** (entity, feature) rows per INSERT statement; default 1000, at most 13,107. */
  write_chunk_size: z.number().int().min(1).max(MAX_WRITE_CHUNK_SIZE).optional(),
  /** Feast's key, accepted for compatibility and ignored: writes are always batched, in one transaction per call. */
  batch_write: z.boolean().nullish(),
  /** Feast's key: used as `write_chunk_size` when that is not given. */
  batch_size: z.number().int().min(1).max(MAX_WRITE_CHUNK_SIZE).nullish(),
})
  .superRefine((cfg, ctx) => {
    if (cfg.url === undefined) return;
    const parts = parseUrl(cfg.url);
    if (typeof parts === 'string') {
      ctx.addIssue({ code: 'custom', path: ['url'], message: `url ${parts}` });
      return;
    }
    for (const key of CONNECTION_KEYS) {
      const given = cfg[key];
      const fromUrl = parts[key];
      if (given != null && fromUrl !== undefined && given !== fromUrl) {
        const shown = key === 'password' ? '(hidden)' : JSON.stringify(given);
        const shownUrl = key === 'password' ? '(hidden)' : JSON.stringify(fromUrl);
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} ${shown} conflicts with the ${key} in url ${shownUrl}; give the connection either as url or as host/port/user/password/database, not both with different values`,
        });
      }
    }
  })
  .transform((cfg) => {
    const parts = cfg.url === undefined ? {} : (parseUrl(cfg.url) as UrlParts);
    return {
      ...cfg,
      host: cfg.host ?? parts.host ?? DEFAULT_HOST,
      port: cfg.port ?? parts.port ?? DEFAULT_PORT,
      user: cfg.user ?? parts.user ?? DEFAULT_USER,
      password: cfg.password ?? parts.password ?? DEFAULT_PASSWORD,
      database: cfg.database ?? parts.database ?? DEFAULT_DATABASE,
      write_chunk_size: cfg.write_chunk_size ?? cfg.batch_size ?? DEFAULT_WRITE_CHUNK_SIZE,
    };
  });

/**
 * The `online_store` section as written in feature_store.yaml (every key but
 * `type` optional). This is the config type the store's methods accept.
 */
export type MySQLOnlineStoreConfig = z.input<typeof MySQLOnlineStoreConfig> & OnlineStoreConfig;

/** The section after parsing: every default filled in. */
export type ParsedMySQLOnlineStoreConfig = z.output<typeof MySQLOnlineStoreConfig>;


/**
 * Validates `config.onlineStore` with {@link MySQLOnlineStoreConfig} (so a
 * config built by hand gets the same defaults and errors as one loaded from
 * feature_store.yaml). The result is remembered per config object.
 *
 * @throws FeastConfigError naming the offending key, such as `online_store.port`
 */
export function parseStoreConfig(config: RepoConfig<MySQLOnlineStoreConfig>): ParsedMySQLOnlineStoreConfig {
  return parseOnlineStoreConfig(MySQLOnlineStoreConfig, config);
}
