import path from 'node:path';
import { SqlRegistryUrlError } from './errors.js';

/** The three database families the SQL registry speaks. */
export type SqlDialectName = 'sqlite' | 'postgresql' | 'mysql';

/** A SQLAlchemy database URL, parsed the way SQLAlchemy's `make_url` does. */
export interface SqlAlchemyUrl {
  /** The family: `sqlite`, `postgresql` (also `postgres`), `mysql` (also `mariadb`). */
  readonly dialect: SqlDialectName;
  /** The scheme as written before `+`, such as `postgresql` or `mariadb`. */
  readonly scheme: string;
  /** The Python driver after `+` (`psycopg`, `pymysql`, ...), or undefined. Any driver is accepted. */
  readonly driver: string | undefined;
  /** User name, percent-decoded. */
  readonly username: string | undefined;
  /** Password, percent-decoded. */
  readonly password: string | undefined;
  /** Host name or address (IPv6 without brackets). */
  readonly host: string | undefined;
  /** Port number. */
  readonly port: number | undefined;
  /**
   * The database: for PostgreSQL and MySQL its name; for SQLite the file path as written
   * (`sqlite:///data/registry.db` gives `data/registry.db`, `sqlite:////abs/registry.db` gives
   * `/abs/registry.db`), or `:memory:`.
   */
  readonly database: string | undefined;
  /** Query parameters, percent-decoded; a key given twice keeps its last value. */
  readonly query: Readonly<Record<string, string>>;
  /** The URL as written with the password replaced by `***`: safe to print. */
  readonly redacted: string;
}

// SQLAlchemy's URL grammar: name://[user[:password]@][host|[ipv6]][:port][/database][?query].
const URL_PATTERN =
  /^(?<name>[\w+]+):\/\/(?:(?<username>[^:/]*)(?::(?<password>[^@]*))?@)?(?:(?:\[(?<ipv6host>[^/?]+)\]|(?<ipv4host>[^/:?]+))?(?::(?<port>[^/?]*))?)?(?:\/(?<database>[^?]*))?(?:\?(?<query>.*))?$/s;

const SCHEMES: Readonly<Record<string, SqlDialectName>> = {
  sqlite: 'sqlite',
  postgresql: 'postgresql',
  postgres: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mysql',
};

/** The URL with its password (if any) replaced by `***`, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([\w+]+:\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

function decode(part: string, what: string, url: string, keyPath: string): string {
  try {
    return decodeURIComponent(part);
  } catch (cause) {
    throw new SqlRegistryUrlError(
      `${keyPath} "${redactUrl(url)}": the ${what} has a malformed percent escape. Write a literal % as %25.`,
      { url: redactUrl(url), keyPath, cause },
    );
  }
}

function parseQuery(text: string, url: string, keyPath: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(/[&;]/)) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    // As Python's parse_qsl: '+' is a space, then percent escapes.
    const key = decode(rawKey.replace(/\+/g, ' '), 'query string', url, keyPath);
    out[key] = decode(rawValue.replace(/\+/g, ' '), 'query string', url, keyPath);
  }
  return out;
}

/**
 * Parses a SQLAlchemy URL (`registry.path` of a `registry_type: sql` registry).
 *
 * @param url - the URL as written in feature_store.yaml
 * @param keyPath - the key it came from, for messages (`registry.path`, `registry.read_path`)
 * @throws {@link SqlRegistryUrlError} for a malformed URL or a scheme other than sqlite, postgresql, mysql / mariadb
 */
export function parseSqlAlchemyUrl(url: string, keyPath = 'registry.path'): SqlAlchemyUrl {
  const redacted = redactUrl(url);
  const m = URL_PATTERN.exec(url.trim());
  if (!m?.groups) {
    throw new SqlRegistryUrlError(
      `${keyPath} "${redacted}" is not a SQLAlchemy database URL. Write it as Feast does, for example ` +
        `sqlite:///data/registry.db, postgresql://user:password@host:5432/feast or mysql+pymysql://user:password@host:3306/feast.`,
      { url: redacted, keyPath },
    );
  }
  const g = m.groups;
  const name = g['name']!;
  const plus = name.indexOf('+');
  const scheme = (plus < 0 ? name : name.slice(0, plus)).toLowerCase();
  const driver = plus < 0 ? undefined : name.slice(plus + 1);
  const dialect = SCHEMES[scheme];
  if (!dialect) {
    throw new SqlRegistryUrlError(
      `${keyPath} "${redacted}": the database "${scheme}" is not supported by @feast-ts/sql-registry, which opens ` +
        `sqlite:///..., postgresql[+driver]://... and mysql[+driver]://... (or mariadb://...) URLs. ` +
        `Use one of those databases, or a file registry (registry: data/registry.db).`,
      { url: redacted, keyPath },
    );
  }
  let port: number | undefined;
  if (g['port'] !== undefined && g['port'] !== '') {
    if (!/^\d{1,5}$/.test(g['port']) || Number(g['port']) > 65535) {
      throw new SqlRegistryUrlError(`${keyPath} "${redacted}": the port "${g['port']}" is not a number from 1 to 65535.`, {
        url: redacted,
        keyPath,
      });
    }
    port = Number(g['port']);
  }
  const host = g['ipv6host'] ?? g['ipv4host'];
  const database = g['database'];
  const query = g['query'] === undefined ? {} : parseQuery(g['query'], url, keyPath);
  if (dialect === 'sqlite' && (host !== undefined || g['username'] !== undefined || port !== undefined)) {
    throw new SqlRegistryUrlError(
      `${keyPath} "${redacted}": a SQLite URL has no host; write three slashes for a relative path ` +
        `(sqlite:///data/registry.db) or four for an absolute one (sqlite:////var/feast/registry.db).`,
      { url: redacted, keyPath },
    );
  }
  if (dialect !== 'sqlite' && (database === undefined || database === '')) {
    throw new SqlRegistryUrlError(
      `${keyPath} "${redacted}" names no database: add it after the host, as in ${scheme}://user@host:port/feast.`,
      { url: redacted, keyPath },
    );
  }
  return {
    dialect,
    scheme,
    driver,
    username: g['username'] === undefined ? undefined : decode(g['username'], 'user name', url, keyPath),
    password: g['password'] === undefined ? undefined : decode(g['password'], 'password', url, keyPath),
    host,
    port,
    database: dialect === 'sqlite' && (database === undefined || database === '') ? ':memory:' : database,
    query,
    redacted,
  };
}

/**
 * The file a SQLite URL names, absolute: a relative path is taken from the feature repository
 * (where Feast's CLI runs); `:memory:` stays as is.
 */
export function sqliteFile(url: SqlAlchemyUrl, repoPath: string): string {
  const db = url.database ?? ':memory:';
  if (db === ':memory:') return db;
  return path.isAbsolute(db) ? db : path.resolve(repoPath, db);
}
