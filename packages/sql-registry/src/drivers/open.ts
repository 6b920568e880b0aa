import { FeastConfigError } from '@feast-ts/core';
import { sqliteFile, type SqlAlchemyUrl } from '../url.js';
import type { SqlDriver } from './driver.js';
import { openMysql } from './mysql.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';

/**
 * The parts of Feast's `sqlalchemy_config_kwargs` (arguments of SQLAlchemy's `create_engine`) that
 * mean something here: `pool_size` and the driver's `connect_args`. The others (`echo`,
 * `pool_pre_ping`, `pool_recycle`, ...) tune SQLAlchemy itself and are ignored.
 */
export interface EngineOptions {
  poolSize: number;
  connectArgs: Readonly<Record<string, unknown>>;
}

/** Reads {@link EngineOptions} from `registry.sqlalchemy_config_kwargs`. */
export function engineOptions(kwargs: unknown, file?: string): EngineOptions {
  if (kwargs === undefined || kwargs === null) return { poolSize: 5, connectArgs: {} };
  const where = file === undefined ? {} : { file };
  if (typeof kwargs !== 'object' || Array.isArray(kwargs)) {
    throw new FeastConfigError('registry.sqlalchemy_config_kwargs must be a mapping (of create_engine arguments).', {
      keyPath: 'registry.sqlalchemy_config_kwargs',
      ...where,
    });
  }
  const k = kwargs as Record<string, unknown>;
  const poolSize = k['pool_size'] ?? 5;
  if (typeof poolSize !== 'number' || !Number.isInteger(poolSize) || poolSize < 1) {
    throw new FeastConfigError(`registry.sqlalchemy_config_kwargs.pool_size must be a whole number of 1 or more, not ${JSON.stringify(poolSize)}.`, {
      keyPath: 'registry.sqlalchemy_config_kwargs.pool_size',
      ...where,
    });
  }
  const connectArgs = k['connect_args'] ?? {};
  if (typeof connectArgs !== 'object' || connectArgs === null || Array.isArray(connectArgs)) {
    throw new FeastConfigError('registry.sqlalchemy_config_kwargs.connect_args must be a mapping.', {
      keyPath: 'registry.sqlalchemy_config_kwargs.connect_args',
      ...where,
    });
  }
  return { poolSize, connectArgs: connectArgs as Record<string, unknown> };
}

/** A setting from the URL's query string, else from `connect_args`. */
function setting(url: SqlAlchemyUrl, engine: EngineOptions, key: string): string | undefined {
  const v = url.query[key] ?? engine.connectArgs[key];
  return v === undefined || v === null ? undefined : String(v);
}

function seconds(url: SqlAlchemyUrl, engine: EngineOptions, key: string): number | undefined {
  const v = setting(url, engine, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new FeastConfigError(`The registry URL's ${key} must be a positive number of seconds, not "${v}".`, { keyPath: `registry.path` });
  }
  return n;
}

/** Opens the driver a parsed URL names; relative SQLite paths resolve against `repoPath`. */
export async function openDriver(url: SqlAlchemyUrl, engine: EngineOptions, repoPath: string): Promise<SqlDriver> {
  switch (url.dialect) {
    case 'sqlite':
      return openSqlite({
        file: sqliteFile(url, repoPath),
        description: url.redacted,
        busyTimeoutMs: (seconds(url, engine, 'timeout') ?? 5) * 1000,
      });
    case 'postgresql':
      return openPostgres({
        host: url.host ?? setting(url, engine, 'host'),
        port: url.port,
        user: url.username,
        password: url.password,
        database: url.database!,
        sslmode: setting(url, engine, 'sslmode'),
        connectTimeoutSeconds: seconds(url, engine, 'connect_timeout'),
        applicationName: setting(url, engine, 'application_name'),
        options: setting(url, engine, 'options'),
        poolSize: engine.poolSize,
        description: url.redacted,
      });
    case 'mysql':
      return openMysql({
        host: url.host,
        port: url.port,
        user: url.username,
        password: url.password,
        database: url.database!,
        socketPath: setting(url, engine, 'unix_socket'),
        charset: setting(url, engine, 'charset'),
        connectTimeoutSeconds: seconds(url, engine, 'connect_timeout'),
        poolSize: engine.poolSize,
        description: url.redacted,
      });
  }
}
