/**
 * The connection-string parameters feast-ts understands (redis-py's keyword
 * arguments, as Feast passes them) turned into ioredis options.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { ConnectionStringError } from './connection-string.js';

/** Options shared by every ioredis connection of a store (standalone, cluster nodes, sentinel master). */
export interface ConnectionParams {
  db: number;
  username: string | undefined;
  password: string | undefined;
  tls: ConnectionOptions | undefined;
  /** Milliseconds, from `socket_connect_timeout` (seconds); default 5000. */
  connectTimeout: number;
  /** Milliseconds, from `socket_timeout` (seconds); undefined waits as long as the connection lives. */
  commandTimeout: number | undefined;
  connectionName: string | undefined;
  /** From `read_from_replicas` (cluster only): read from replicas too. */
  readFromReplicas: boolean;
  /** From `sentinel_kwargs` `{"password": ..., "username": ...}`: credentials of the sentinels themselves. */
  sentinelUsername: string | undefined;
  sentinelPassword: string | undefined;
}

/** redis-py arguments accepted for compatibility that change nothing here (ioredis does the equivalent itself). */
const IGNORED = new Set([
  'skip_full_coverage_check',
  'decode_responses',
  'health_check_interval',
  'retry_on_timeout',
  'socket_keepalive',
  'max_connections',
  'encoding',
  'protocol',
]);

const KNOWN = [
  'db', 'username', 'password', 'ssl', 'ssl_cert_reqs', 'ssl_ca_certs', 'ssl_certfile', 'ssl_keyfile', 'ssl_check_hostname',
  'socket_timeout', 'socket_connect_timeout', 'client_name', 'read_from_replicas', 'sentinel_kwargs',
];

function str(params: Record<string, unknown>, key: string): string | undefined {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ConnectionStringError(`${key} must be text`);
}

function bool(params: Record<string, unknown>, key: string): boolean | undefined {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'True' || v === 'true' || v === 1) return true;
  if (v === 'False' || v === 'false' || v === 0) return false;
  throw new ConnectionStringError(`${key}=${String(v)} must be true or false`);
}

function seconds(params: Record<string, unknown>, key: string): number | undefined {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !(v > 0)) throw new ConnectionStringError(`${key}=${String(v)} must be a positive number of seconds`);
  return Math.round(v * 1000);
}

function readPem(params: Record<string, unknown>, key: string, baseDir: string | undefined): Buffer | undefined {
  const file = str(params, key);
  if (file === undefined || baseDir === undefined) return undefined;
  const resolved = path.resolve(baseDir, file);
  try {
    return readFileSync(resolved);
  } catch (err) {
    throw new ConnectionStringError(`${key}=${file}: cannot read ${resolved} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/**
 * Reads the parameters of a connection string. Files (`ssl_ca_certs`, ...)
 * resolve against `baseDir` (the feature repo) and are read; without
 * `baseDir` only the syntax is checked. @throws ConnectionStringError
 */
export function connectionParams(params: Record<string, unknown>, baseDir?: string): ConnectionParams {
  for (const key of Object.keys(params)) {
    if (!KNOWN.includes(key) && !IGNORED.has(key)) {
      throw new ConnectionStringError(`unknown parameter "${key}"; feast-ts understands ${KNOWN.join(', ')} (and accepts ${[...IGNORED].join(', ')} without effect)`);
    }
  }
  const dbValue = params.db ?? 0;
  const db = typeof dbValue === 'string' && /^\d+$/.test(dbValue) ? Number(dbValue) : dbValue;
  if (typeof db !== 'number' || !Number.isInteger(db) || db < 0) throw new ConnectionStringError(`db=${String(dbValue)} must be a database index (0, 1, ...)`);

  let tls: ConnectionOptions | undefined;
  if (bool(params, 'ssl')) {
    tls = {};
    const reqs = str(params, 'ssl_cert_reqs');
    if (reqs !== undefined) {
      if (!['none', 'optional', 'required'].includes(reqs.toLowerCase())) throw new ConnectionStringError(`ssl_cert_reqs=${reqs} must be none, optional or required`);
      tls.rejectUnauthorized = reqs.toLowerCase() !== 'none';
    }
    const ca = readPem(params, 'ssl_ca_certs', baseDir);
    const cert = readPem(params, 'ssl_certfile', baseDir);
    const key = readPem(params, 'ssl_keyfile', baseDir);
    if (ca) tls.ca = ca;
    if (cert) tls.cert = cert;
    if (key) tls.key = key;
    if (bool(params, 'ssl_check_hostname') === false) tls.checkServerIdentity = () => undefined;
  } else {
    for (const k of ['ssl_cert_reqs', 'ssl_ca_certs', 'ssl_certfile', 'ssl_keyfile', 'ssl_check_hostname']) {
      if (params[k] !== undefined) throw new ConnectionStringError(`${k} needs ssl=true`);
    }
  }

  let sentinelUsername: string | undefined;
  let sentinelPassword: string | undefined;
  const sk = params.sentinel_kwargs;
  if (sk !== undefined && sk !== null) {
    if (typeof sk !== 'object' || Array.isArray(sk)) throw new ConnectionStringError('sentinel_kwargs must be a JSON object, such as sentinel_kwargs={"password":"..."}');
    const o = sk as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (k !== 'password' && k !== 'username') throw new ConnectionStringError(`sentinel_kwargs.${k} is not supported (only password and username)`);
    }
    sentinelUsername = str(o, 'username');
    sentinelPassword = str(o, 'password');
  }

  return {
    db,
    username: str(params, 'username'),
    password: str(params, 'password'),
    tls,
    connectTimeout: seconds(params, 'socket_connect_timeout') ?? 5000,
    commandTimeout: seconds(params, 'socket_timeout'),
    connectionName: str(params, 'client_name'),
    readFromReplicas: bool(params, 'read_from_replicas') ?? false,
    sentinelUsername,
    sentinelPassword,
  };
}
