/**
 * Throwaway Redis servers for tests, from the local `redis-server` and
 * `redis-cli` binaries: a single server, a Redis Cluster of N masters, and a
 * Sentinel set-up (one master, one replica, one sentinel). Each listens on
 * 127.0.0.1 only, on free ports picked at run time, with its files in a temp
 * directory that `stop()` removes.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findExecutable, forgetDir, freePort, killOnExit, logTail, removeOnExit } from './local-process.js';
import type { StoppableServer, TestServerSpec } from './policy.js';

function findBinary(name: string, override: string | undefined): string | undefined {
  return override ?? findExecutable([name]);
}


/** The local Redis binaries. */
export interface RedisBinaries {
  server: string;
  cli: string;
}

/**
 * `redis-server` and `redis-cli` from `FEAST_REDIS_SERVER` / `FEAST_REDIS_CLI`
 * or the PATH; a reason string when either is missing.
 */
export function findRedisBinaries(): RedisBinaries | string {
  const server = findBinary('redis-server', process.env.FEAST_REDIS_SERVER);
  const cli = findBinary('redis-cli', process.env.FEAST_REDIS_CLI);
  if (!server) return 'no redis-server binary found (install redis-server, or set FEAST_REDIS_SERVER to its path)';
  if (!cli) return 'no redis-cli binary found (install redis-tools, or set FEAST_REDIS_CLI to its path)';
  return { server, cli };
}

function requireBinaries(): RedisBinaries {
  const found = findRedisBinaries();
  if (typeof found === 'string') throw new Error(found);
  return found;
}

/**
 * A free TCP port on 127.0.0.1. With `withBusPort`, `port + 10000` (Redis
 * Cluster's bus port) is free too.
 */
export async function freeRedisPort(withBusPort = false): Promise<number> {
  return freePort(withBusPort ? 10000 : undefined);
}

/** Runs `redis-cli -h 127.0.0.1 -p <port> <args...>` and returns its output (trimmed). */
export function redisCli(port: number, args: readonly string[], options: { password?: string; timeoutMs?: number } = {}): Promise<string> {
  const { cli } = requireBinaries();
  const auth = options.password ? ['-a', options.password, '--no-auth-warning'] : [];
  return new Promise((resolve, reject) => {
    execFile(cli, ['-h', '127.0.0.1', '-p', String(port), ...auth, ...args], { timeout: options.timeoutMs ?? 10_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`redis-cli -p ${port} ${args.join(' ')} failed: ${(stderr || err.message).trim()}`, { cause: err }));
      else resolve(stdout.trim());
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 100 ms until it returns true or `timeoutMs` passes. */
async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    await sleep(100);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms${last ? ` (${(last as Error).message})` : ''}`);
}

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** `requirepass` (and `masterauth`, for replicas). */
  password?: string;
  /** Start with `cluster-enabled yes` (the bus port, `port + 10000`, is kept free). */
  cluster?: boolean;
  /** Start as a replica of this port on 127.0.0.1. */
  replicaOf?: number;
  /** More `--name value` arguments for redis-server. */
  extraArgs?: readonly string[];
  /** The directory to use (created if missing); default a new temp directory, removed by `stop()`. */
  dir?: string;
}

/** One throwaway redis-server. */
export interface RedisTestServer extends StoppableServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** `127.0.0.1:<port>`: Feast's connection string (add `,password=...` when there is one). */
  readonly connectionString: string;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Its working directory (dump.rdb, nodes.conf, the log). */
  readonly dir: string;
  /** Whether the process is running. */
  readonly running: boolean;
  /** SIGKILL: the process dies at once, unsaved data is lost. */
  kill(): Promise<void>;
  /** Starts the process again (same port, directory and arguments) after {@link kill} or {@link shutdown}. */
  start(): Promise<void>;
  /** `SHUTDOWN SAVE`: a clean stop that keeps the data in dump.rdb for the next {@link start}. */
  shutdown(): Promise<void>;
  /** {@link shutdown} (when running), then {@link start}. */
  restart(): Promise<void>;
  /** `redis-cli` against this server. */
  cli(...args: string[]): Promise<string>;
}

/** Starts a throwaway redis-server on a free port of 127.0.0.1 and waits until it answers PING. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisTestServer> {
  const bin = requireBinaries();
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'feast-ts-redis-'));
  mkdirSync(dir, { recursive: true });
  if (ownDir) removeOnExit(dir);
  const logFile = path.join(dir, 'redis.log');
  let port = 0;
  let child: ChildProcess | undefined;
  const isRunning = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const args = (): string[] => [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    '--protected-mode', 'no',
    '--logfile', logFile,
    ...(options.password ? ['--requirepass', options.password, '--masterauth', options.password] : []),
    ...(options.cluster ? ['--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, 'nodes.conf'), '--cluster-node-timeout', '1500'] : []),
    ...(options.replicaOf !== undefined ? ['--replicaof', '127.0.0.1', String(options.replicaOf)] : []),
    ...(options.extraArgs ?? []),
  ];

  const start = async (): Promise<void> => {
    if (isRunning()) return;
    const out = openSync(logFile, 'a');
    const c = spawn(bin.server, args(), { stdio: ['ignore', out, out] });
    closeSync(out);
    child = c;
    killOnExit(c);
    await waitUntil(`redis-server on port ${port} answering PING`, 20_000, async () => {
      if (c.exitCode !== null || c.signalCode !== null) {
        throw new Error(`redis-server exited (${c.exitCode ?? c.signalCode}) while starting:\n${logTail(logFile)}`);
      }
      return (await redisCli(port, ['PING'], { password: options.password, timeoutMs: 2000 })) === 'PONG';
    });
  };

  const waitExit = (c: ChildProcess, ms: number) =>
    new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      const timer = setTimeout(() => c.kill('SIGKILL'), ms);
      c.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });

  const kill = async (): Promise<void> => {
    const c = child;
    if (!c || !isRunning()) return;
    c.kill('SIGKILL');
    await waitExit(c, 5000);
  };

  const shutdown = async (): Promise<void> => {
    const c = child;
    if (!c || !isRunning()) return;
    // redis-cli reports the dropped connection of SHUTDOWN as an error on some versions.
    await redisCli(port, ['SHUTDOWN', 'SAVE'], { password: options.password }).catch(() => undefined);
    await waitExit(c, 10_000);
  };

  // The port was free a moment ago; another process may take it before redis-server binds. Retry.
  for (let attempt = 1; ; attempt++) {
    port = await freeRedisPort(options.cluster === true);
    try {
      await start();
      break;
    } catch (err) {
      await kill();
      if (attempt >= 3 || !/Address already in use/i.test((err as Error).message)) {
        if (ownDir) {
          rmSync(dir, { recursive: true, force: true });
          forgetDir(dir);
        }
        throw err;
      }
    }
  }

  const version = (await redisCli(port, ['INFO', 'server'], { password: options.password }))
    .split(/\r?\n/)
    .find((l) => l.startsWith('redis_version:'))
    ?.slice('redis_version:'.length);
  return {
    host: '127.0.0.1',
    port,
    connectionString: `127.0.0.1:${port}`,
    url: `redis://127.0.0.1:${port}`,
    dir,
    get running() {
      return isRunning();
    },
    description: `local redis-server ${version ?? '?'} on 127.0.0.1:${port}${options.cluster ? ' (cluster-enabled)' : ''}${options.replicaOf ? ` (replica of ${options.replicaOf})` : ''}`,
    kill,
    start,
    shutdown,
    async restart() {
      await shutdown();
      await start();
    },
    cli: (...a: string[]) => redisCli(port, a, { password: options.password }),
    async stop() {
      await kill();
      if (ownDir) {
        rmSync(dir, { recursive: true, force: true });
        forgetDir(dir);
      }
    },
  };
}

/** A throwaway Redis Cluster: N masters, no replicas. */
export interface RedisTestCluster extends StoppableServer {
  readonly nodes: readonly RedisTestServer[];
  /** `127.0.0.1:<p1>,127.0.0.1:<p2>,...`: Feast's connection string for `redis_type: redis_cluster`. */
  readonly connectionString: string;
  /** Waits until every running node reports `cluster_state:ok` and the full slot coverage. */
  waitHealthy(timeoutMs?: number): Promise<void>;
}

function clusterInfo(text: string): Map<string, string> {
  return new Map(text.split(/\r?\n/).map((l) => l.trim().split(':') as [string, string]).filter(([k, v]) => k && v !== undefined));
}

/**
 * Starts `masters` cluster-enabled redis-servers and joins them with
 * `redis-cli --cluster create ... --cluster-replicas 0 --cluster-yes`.
 */
export async function startRedisCluster(masters = 3): Promise<RedisTestCluster> {
  const bin = requireBinaries();
  const dir = mkdtempSync(path.join(tmpdir(), 'feast-ts-redis-cluster-'));
  removeOnExit(dir);
  const nodes: RedisTestServer[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(dir, { recursive: true, force: true });
    forgetDir(dir);
  };
  try {
    for (let i = 0; i < masters; i++) nodes.push(await startRedisServer({ cluster: true, dir: path.join(dir, `node-${i}`) }));
    await new Promise<void>((resolve, reject) => {
      execFile(
        bin.cli,
        ['--cluster', 'create', ...nodes.map((n) => n.connectionString), '--cluster-replicas', '0', '--cluster-yes'],
        { timeout: 60_000, encoding: 'utf8' },
        (err, stdout, stderr) => (err ? reject(new Error(`redis-cli --cluster create failed: ${stderr || stdout || err.message}`)) : resolve()),
      );
    });
    const waitHealthy = async (timeoutMs = 30_000) => {
      await waitUntil('the cluster reporting cluster_state:ok on every node', timeoutMs, async () => {
        for (const n of nodes.filter((x) => x.running)) {
          const info = clusterInfo(await n.cli('CLUSTER', 'INFO'));
          if (info.get('cluster_state') !== 'ok' || info.get('cluster_slots_ok') !== '16384' || info.get('cluster_known_nodes') !== String(masters)) return false;
        }
        return true;
      });
    };
    await waitHealthy();
    return {
      nodes,
      connectionString: nodes.map((n) => n.connectionString).join(','),
      description: `local Redis Cluster of ${masters} masters on ${nodes.map((n) => n.port).join(', ')}`,
      waitHealthy,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A throwaway Sentinel set-up: one master, one replica, one sentinel watching them. */
export interface RedisTestSentinel extends StoppableServer {
  /** The server that started as master. */
  readonly master: RedisTestServer;
  /** The server that started as its replica. */
  readonly replica: RedisTestServer;
  /** The sentinel's port on 127.0.0.1. */
  readonly sentinelPort: number;
  /** The monitored master's name (`mymaster`, Feast's default `sentinel_master`). */
  readonly masterName: string;
  /** `127.0.0.1:<sentinel port>`: Feast's connection string for `redis_type: redis_sentinel`. */
  readonly connectionString: string;
  /** The port the sentinel names as master now. */
  currentMasterPort(): Promise<number>;
  /**
   * Kills the current master (SIGKILL) and waits until the sentinel has
   * promoted the other server and it accepts writes. Returns the new master's port.
   */
  killMasterAndWaitForFailover(timeoutMs?: number): Promise<number>;
}

/** Starts a master, a replica of it, and a sentinel (`redis-server --sentinel`) monitoring them as `mymaster`. */
export async function startRedisSentinel(options: { masterName?: string } = {}): Promise<RedisTestSentinel> {
  const bin = requireBinaries();
  const masterName = options.masterName ?? 'mymaster';
  const dir = mkdtempSync(path.join(tmpdir(), 'feast-ts-redis-sentinel-'));
  removeOnExit(dir);
  const servers: RedisTestServer[] = [];
  let sentinel: ChildProcess | undefined;
  const stop = async () => {
    if (sentinel && sentinel.exitCode === null && sentinel.signalCode === null) {
      const s = sentinel;
      await new Promise<void>((resolve) => {
        s.once('exit', () => resolve());
        s.kill('SIGKILL');
      });
    }
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
    forgetDir(dir);
  };
  try {
    const master = await startRedisServer({ dir: path.join(dir, 'master') });
    servers.push(master);
    const replica = await startRedisServer({ dir: path.join(dir, 'replica'), replicaOf: master.port });
    servers.push(replica);
    await waitUntil('the replica in sync with the master', 20_000, async () => /master_link_status:up/.test(await replica.cli('INFO', 'replication')));

    const sentinelPort = await freeRedisPort();
    const conf = path.join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        'protected-mode no',
        `dir ${dir}`,
        `logfile ${path.join(dir, 'sentinel.log')}`,
        `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 1`,
        `sentinel down-after-milliseconds ${masterName} 1000`,
        `sentinel failover-timeout ${masterName} 10000`,
        `sentinel parallel-syncs ${masterName} 1`,
        '',
      ].join('\n'),
    );
    const s = spawn(bin.server, [conf, '--sentinel'], { stdio: 'ignore' });
    sentinel = s;
    killOnExit(s);
    const masterAddr = async () => {
      const out = (await redisCli(sentinelPort, ['SENTINEL', 'get-master-addr-by-name', masterName], { timeoutMs: 2000 })).split(/\r?\n/);
      return Number(out[1]);
    };
    await waitUntil('the sentinel seeing the master and its replica', 20_000, async () => {
      if (s.exitCode !== null) throw new Error(`the sentinel exited (${s.exitCode}):\n${logTail(path.join(dir, 'sentinel.log'))}`);
      if ((await masterAddr()) !== master.port) return false;
      const replicas = await redisCli(sentinelPort, ['SENTINEL', 'replicas', masterName], { timeoutMs: 2000 });
      return replicas.includes(String(replica.port));
    });
    return {
      master,
      replica,
      sentinelPort,
      masterName,
      connectionString: `127.0.0.1:${sentinelPort}`,
      description: `local Redis Sentinel on 127.0.0.1:${sentinelPort} (master ${master.port}, replica ${replica.port})`,
      currentMasterPort: masterAddr,
      async killMasterAndWaitForFailover(timeoutMs = 30_000) {
        const before = await masterAddr();
        const old = servers.find((x) => x.port === before);
        const next = servers.find((x) => x.port !== before);
        if (!old || !next) throw new Error(`the sentinel names port ${before} as master, which is not one of this set-up's servers`);
        await old.kill();
        await waitUntil(`the sentinel promoting ${next.port}`, timeoutMs, async () => (await masterAddr()) === next.port && /role:master/.test(await next.cli('INFO', 'replication')));
        return next.port;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A Redis server given by `FEAST_REDIS_URL` (`redis://host:port`), or a throwaway one. */
export interface RedisServerHandle extends StoppableServer {
  readonly host: string;
  readonly port: number;
  /** `host:port` (with `,password=...` when the URL has one): Feast's connection string. */
  readonly connectionString: string;
}

/**
 * The policy's spec for a plain Redis server: `FEAST_REDIS_URL` when set
 * (such as `redis://127.0.0.1:6379`), else a throwaway redis-server. Use with
 * `requireTestServer` / `acquireTestServer` from the policy module.
 */
export const redisServerSpec: TestServerSpec<RedisServerHandle> = {
  what: 'Redis tests',
  envVar: 'FEAST_REDIS_URL',
  fromEnv(value: string): RedisServerHandle {
    const u = new URL(value.includes('://') ? value : `redis://${value}`);
    if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`FEAST_REDIS_URL must be a redis:// URL, got ${u.protocol}`);
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
    const port = u.port ? Number(u.port) : 6379;
    const password = decodeURIComponent(u.password);
    return {
      host,
      port,
      connectionString: `${host}:${port}${password ? `,password=${password}` : ''}${u.protocol === 'rediss:' ? ',ssl=true' : ''}`,
      description: `FEAST_REDIS_URL (${host}:${port})`,
      async stop() {},
    };
  },
  async startThrowaway() {
    const found = findRedisBinaries();
    if (typeof found === 'string') return found;
    return startRedisServer();
  },
  hint: 'Set FEAST_REDIS_URL=redis://127.0.0.1:6379, or install redis-server (apt-get install redis-server).',
};
