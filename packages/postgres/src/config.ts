import { FeastConfigBaseModel, parseOnlineStoreConfig, type OnlineStoreConfig, type RepoConfig } from '@feast-ts/core';
import { z } from 'zod';

/** Default of `port`. */
export const DEFAULT_PORT = 5432;
/** Default of `db_schema`, as in Feast. */
export const DEFAULT_DB_SCHEMA = 'public';
/** Default of `min_conn`, as in Feast. */
export const DEFAULT_MIN_CONN = 1;
/** Default of `max_conn`, as in Feast. */
export const DEFAULT_MAX_CONN = 10;
/** Default of `connect_timeout` (feast-ts): seconds to get a connection, from the pool or by connecting. */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
/** Default of `query_timeout` (feast-ts): seconds one statement may run before the server cancels it. */
export const DEFAULT_QUERY_TIMEOUT_SECONDS = 60;

/** libpq's `sslmode` values. */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;

/**
 * The `online_store` section of feature_store.yaml for
 * {@link PostgreSQLOnlineStore}: Feast's `PostgreSQLOnlineStoreConfig` keys
 * (snake_case; an unknown key is an error that names it), plus two feast-ts
 * timeouts.
 *
 * ```yaml
 * online_store:
 *   type: postgres
 *   host: db.internal
 *   port: 5432
 *   database: feast
 *   db_schema: feast          # default public; created by apply if missing
 *   user: feast
 *   password: ${PG_PASSWORD}
 *   sslmode: verify-full      # disable | allow | prefer | require | verify-ca | verify-full
 *   sslrootcert_path: certs/ca.pem
 *   conn_type: pool           # singleton (one connection, Feast's default) | pool
 *   min_conn: 1
 *   max_conn: 10
 *   keepalives_idle: 30       # seconds before TCP keepalive probes
 *   connect_timeout: 10       # feast-ts: seconds to get a connection
 *   query_timeout: 60         # feast-ts: seconds per statement
 * ```
 */
export const PostgreSQLOnlineStoreConfig = FeastConfigBaseModel.extend({
  /** `postgres`, or a module + export naming this store. */
  type: z.string().min(1).default('postgres'),
  /** Server host name or IP address (required, as in Feast). */
  host: z.string().min(1),
  /** Server TCP port; default 5432. */
  port: z.number().int().min(1).max(65_535).default(DEFAULT_PORT),
  /** Database name (required). It must exist. */
  database: z.string().min(1),
  /** Schema that holds the tables; default `public`. `null` means the schema named like `user`, as in Feast. Created by `update` when missing. */
  db_schema: z.string().min(1).nullable().default(DEFAULT_DB_SCHEMA),
  /** User name (required). */
  user: z.string().min(1),
  /** Password (required, as in Feast; `""` for none, e.g. with trust or peer authentication). */
  password: z.string(),
  /** libpq's sslmode. Unset, `disable`, `allow` and `prefer` connect without TLS; `require` encrypts (and verifies the chain when `sslrootcert_path` is given); `verify-ca` verifies the chain; `verify-full` also the host name. */
  sslmode: z.enum(SSL_MODES).nullable().optional(),
  /** Client private key (PEM file, relative to the feature repo) for certificate authentication. */
  sslkey_path: z.string().min(1).nullable().optional(),
  /** Client certificate (PEM file) for certificate authentication. */
  sslcert_path: z.string().min(1).nullable().optional(),
  /** CA certificate(s) (PEM file) the server's certificate must chain to. */
  sslrootcert_path: z.string().min(1).nullable().optional(),
  /** Connections the pool keeps open when idle; default 1. */
  min_conn: z.number().int().min(0).max(10_000).default(DEFAULT_MIN_CONN),
  /** Most connections open at once with `conn_type: pool`; default 10. */
  max_conn: z.number().int().min(1).max(10_000).default(DEFAULT_MAX_CONN),
  /** `singleton` (Feast's default: one connection, calls take turns) or `pool` (up to `max_conn`). */
  conn_type: z.enum(['singleton', 'pool']).default('singleton'),
  /** Seconds of idleness before TCP keepalive probes start; unset: the operating system's default. */
  keepalives_idle: z.number().int().min(0).max(86_400).nullable().optional(),
  /** Feast's pgvector switch. feast-ts has no vector search yet, so `true` is refused. */
  vector_enabled: z.boolean().default(false),
  /** Feast's vector length (accepted, unused while vector search is off). */
  vector_len: z.number().int().min(1).nullable().optional(),
  /** Feast's vector similarity metric (accepted, unused while vector search is off). */
  similarity: z.string().min(1).nullable().optional(),
  /** feast-ts: seconds to wait for a connection (a free pooled one, or a new one's TCP and TLS handshake); default 10. */
  connect_timeout: z.number().positive().max(3600).default(DEFAULT_CONNECT_TIMEOUT_SECONDS),
  /** feast-ts: seconds one statement may run before the server cancels it (statement_timeout); default 60. */
  query_timeout: z.number().positive().max(86_400).default(DEFAULT_QUERY_TIMEOUT_SECONDS),
}).superRefine((cfg, ctx) => {
  if (cfg.vector_enabled) {
    ctx.addIssue({
      code: 'custom',
      path: ['vector_enabled'],
      message:
        'vector_enabled: true is not supported by feast-ts yet (it has no vector search, and tables with pgvector vector_value columns are not read). ' +
        'Remove the key or set it to false.',
    });
  }
  if (cfg.conn_type === 'pool' && cfg.min_conn > cfg.max_conn) {
    ctx.addIssue({ code: 'custom', path: ['min_conn'], message: `min_conn (${cfg.min_conn}) is larger than max_conn (${cfg.max_conn}); lower min_conn or raise max_conn.` });
  }
  if ((cfg.sslkey_path == null) !== (cfg.sslcert_path == null)) {
    ctx.addIssue({ code: 'custom', path: [cfg.sslkey_path == null ? 'sslkey_path' : 'sslcert_path'], message: 'sslkey_path and sslcert_path go together: give both for certificate authentication, or neither.' });
  }
});

/**
 * The `online_store` section as written in feature_store.yaml (keys with a
 * default optional). This is the config type the store's methods accept.
 */
export type PostgreSQLOnlineStoreConfig = z.input<typeof PostgreSQLOnlineStoreConfig> & OnlineStoreConfig;

/** The section after parsing: every default filled in. */
export type ParsedPostgreSQLOnlineStoreConfig = z.output<typeof PostgreSQLOnlineStoreConfig>;

/**
 * Validates `config.onlineStore` with {@link PostgreSQLOnlineStoreConfig} (a
 * config built by hand gets the same defaults and errors as one loaded from
 * feature_store.yaml). The result is remembered per config object.
 *
 * @throws FeastConfigError naming the offending key, such as `online_store.port`
 */
export function parseStoreConfig(config: RepoConfig<PostgreSQLOnlineStoreConfig>): ParsedPostgreSQLOnlineStoreConfig {
  return parseOnlineStoreConfig(PostgreSQLOnlineStoreConfig, config);
}

/** The schema the tables live in: `db_schema`, or the user's name when it is `null` (Feast's rule). */
export function schemaOf(cfg: ParsedPostgreSQLOnlineStoreConfig): string {
  return cfg.db_schema ?? cfg.user;
}
