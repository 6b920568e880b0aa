/**
 * One ioredis client per store and connection target (a server, a Redis
 * Cluster, or a master found through Sentinel), with the batching the store
 * needs: a pipeline per call on one server, a pipeline per node on a cluster.
 */
import calculateSlot from 'cluster-key-slot';
import { Cluster, Redis, type ChainableCommander, type Command, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { ResolvedRedisConfig } from './config.js';
import { toStoreError, type ErrorContext } from './errors.js';

/** The Lua script of view deletion (DROP_VIEWS_LUA in lua.ts), registered on every client. */
export const DROP_VIEWS_COMMAND = 'feastDropViews';
/** The Lua script of a newest-wins write (WRITE_NEWER_LUA in lua.ts), registered on every client. */
export const WRITE_NEWER_COMMAND = 'feastWriteNewer';
/** Its variant for the hashes of one cluster node, of any slots (WRITE_NEWER_ON_NODE_LUA). */
export const WRITE_NEWER_ON_NODE_COMMAND = 'feastWriteNewerOnNode';

/** The Lua sources of the store's scripts. */
export interface StoreScripts {
  dropViews: string;
  writeNewer: string;
  writeNewerOnNode: string;
}

/**
 * A pipeline with the store's scripts as methods. ioredis sends a script's
 * source (EVAL) the first time on each connection, EVALSHA afterwards, and
 * resends the source when the server answers NOSCRIPT (after a restart or
 * SCRIPT FLUSH).
 */
export type StorePipeline = ChainableCommander & {
  feastDropViews(key: Buffer, ...args: Buffer[]): StorePipeline;
  feastWriteNewer(numberOfKeys: number, keys: Buffer[], args: Array<Buffer | string>): StorePipeline;
  feastWriteNewerOnNode(numberOfKeys: 1, routingKey: Buffer, args: Array<Buffer | string>): StorePipeline;
  /** Queues a command built by the store (see hmget-command.ts). */
  sendCommand(command: Command): unknown;
};

/** One `[error, reply]` per command of a pipeline. */
export type PipelineReplies = Array<[Error | null, unknown]>;

const RETRYABLE_ON_CLUSTER = /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN)\b|slots allocation group|should belong to the same slot|access a non local key/;

/** How many times a cluster batch is regrouped and resent after the topology moved under it. */
const CLUSTER_ATTEMPTS = 4;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A store's connection: an ioredis Redis (standalone or Sentinel) or Cluster client. */
export class RedisConnection {
  readonly client: Redis | Cluster;
  readonly isCluster: boolean;
  /** `redis 127.0.0.1:6379 db 0`, for messages (never the password). */
  readonly target: string;
  #lastError: unknown;
  #everReady = false;
  #ended = false;
  #crossSlot: Promise<boolean> | undefined;

  constructor(readonly resolved: ResolvedRedisConfig, scripts: StoreScripts) {
    const { config, nodes, params } = resolved;
    const common: RedisOptions = {
      lazyConnect: true,
      db: params.db,
      ...(params.username !== undefined ? { username: params.username } : {}),
      ...(params.password !== undefined ? { password: params.password } : {}),
      ...(params.tls ? { tls: params.tls } : {}),
      ...(params.connectionName !== undefined ? { connectionName: params.connectionName } : {}),
      connectTimeout: params.connectTimeout,
      ...(params.commandTimeout !== undefined ? { commandTimeout: params.commandTimeout } : {}),
      // Fail a call fast when the server is gone (one reconnect attempt), and keep reconnecting in the background.
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(times * 100, 1000),
      disableClientInfo: true,
    };
    const list = nodes.map((n) => `${n.host}:${n.port}`).join(',');
    if (config.redis_type === 'redis_cluster') {
      const { db: _db, ...redisOptions } = common;
      const options: ClusterOptions = {
        lazyConnect: true,
        redisOptions,
        clusterRetryStrategy: (times) => (times > 3 ? null : times * 100),
        retryDelayOnClusterDown: 200,
        retryDelayOnFailover: 200,
        retryDelayOnTryAgain: 200,
        maxRedirections: 16,
        scaleReads: params.readFromReplicas ? 'slave' : 'master',
        slotsRefreshTimeout: params.connectTimeout,
      };
      this.client = new Cluster(nodes.map((n) => ({ host: n.host, port: n.port })), options);
      this.isCluster = true;
      this.target = `Redis Cluster ${list}`;
    } else if (config.redis_type === 'redis_sentinel') {
      this.client = new Redis({
        ...common,
        sentinels: nodes.map((n) => ({ host: n.host, port: n.port })),
        name: config.sentinel_master,
        ...(params.sentinelUsername !== undefined ? { sentinelUsername: params.sentinelUsername } : {}),
        ...(params.sentinelPassword !== undefined ? { sentinelPassword: params.sentinelPassword } : {}),
        // Give up one connection attempt after a few sentinel rounds (the client then retries on its own), so a call fails instead of waiting forever.
        sentinelRetryStrategy: (times) => (times > 3 ? null : times * 100),
        failoverDetector: true,
        ...(params.tls ? { enableTLSForSentinelMode: true } : {}),
      });
      this.isCluster = false;
      this.target = `Redis master "${config.sentinel_master}" through the sentinels ${list} (db ${params.db})`;
    } else {
      const node = nodes[0]!;
      this.client = new Redis({ ...common, host: node.host, port: node.port });
      this.isCluster = false;
      this.target = `Redis ${node.host}:${node.port} db ${params.db}`;
    }
    this.client.defineCommand(DROP_VIEWS_COMMAND, { numberOfKeys: 1, lua: scripts.dropViews });
    this.client.defineCommand(WRITE_NEWER_COMMAND, { lua: scripts.writeNewer }); // the number of keys is the first argument
    this.client.defineCommand(WRITE_NEWER_ON_NODE_COMMAND, { lua: scripts.writeNewerOnNode });
    this.client.on('error', (err: unknown) => {
      this.#lastError = err;
    });
    // A cluster that gave up emits 'end' (its status may read 'close' afterwards).
    this.client.on('end', () => {
      this.#ended = true;
    });
    this.client.on('ready', () => {
      this.#everReady = true;
      this.#lastError = undefined;
    });
  }

  /** True once the client has given up (a cluster that stopped retrying): make a new connection. */
  get ended(): boolean {
    return this.#ended || this.client.status === 'end';
  }

  /** Context for {@link toStoreError}. */
  errorContext(action: string, view?: string): ErrorContext {
    return { action, target: this.target, ...(view !== undefined ? { view } : {}), lastConnectionError: this.#lastError, everReady: this.#everReady };
  }

  /** A typed error for a failure of `action`. */
  fail(err: unknown, action: string, view?: string): Error {
    return toStoreError(err, this.errorContext(action, view));
  }

  /** Connects when not connected yet (the client is lazy), so a cluster's slot map is known. */
  async ready(): Promise<void> {
    if (this.client.status !== 'wait') return;
    const client = this.client;
    // A cluster whose ready check keeps failing (cluster_state:fail) ends without settling connect(): watch for 'end'.
    await new Promise<void>((resolve, reject) => {
      const onEnd = () => reject(this.#lastError ?? new Error('the client did not become ready: no node answered, or the cluster reported cluster_state:fail'));
      client.once('end', onEnd);
      client.connect().then(
        () => {
          client.off('end', onEnd);
          resolve();
        },
        (err: unknown) => {
          client.off('end', onEnd);
          reject(err);
        },
      );
    });
  }

  /** The hash slot of a key on a cluster (every key is in slot 0 on one server). */
  slotOf(key: Buffer): number {
    return this.isCluster ? calculateSlot(key) : 0;
  }

  /** The master nodes to SCAN: every master of a cluster, else the one server. */
  masters(): Redis[] {
    return this.client instanceof Cluster ? this.client.nodes('master') : [this.client];
  }

  /** Key indexes grouped by the cluster node that serves them (one group on a single server). */
  #groups(keys: readonly Buffer[]): number[][] {
    if (!(this.client instanceof Cluster)) return [keys.map((_, i) => i)];
    const slots = this.client.slots;
    const byNode = new Map<string, number[]>();
    for (let i = 0; i < keys.length; i++) {
      const node = slots[calculateSlot(keys[i]!)]?.join(';') ?? '';
      let group = byNode.get(node);
      if (!group) byNode.set(node, (group = []));
      group.push(i);
    }
    return [...byNode.values()];
  }

  /**
   * Sends `add(pipeline, i)` for every key index in one round trip per node
   * (a MULTI/EXEC transaction on a single server when `transaction`), and
   * returns the replies of key `i` in `out[i]` (as many as `add` queued).
   * On a cluster, a batch the topology moved under (MOVED, ASK, TRYAGAIN,
   * CLUSTERDOWN) is regrouped and resent: every command the store batches is
   * idempotent. A command's error rejects the whole call.
   */
  async batch(keys: readonly Buffer[], add: (p: StorePipeline, i: number) => void, options: { transaction?: boolean } = {}): Promise<PipelineReplies[]> {
    let out: PipelineReplies[] = [];
    await this.batchNodes(
      keys,
      (p, group) => {
        const counts: number[] = [];
        for (const i of group) {
          const before = p.length;
          add(p, i);
          counts.push(p.length - before);
        }
        return (replies) => {
          let pos = 0;
          group.forEach((i, g) => {
            out[i] = replies.slice(pos, pos + counts[g]!);
            pos += counts[g]!;
          });
        };
      },
      options,
      () => {
        out = new Array(keys.length);
      },
    );
    return out;
  }

  /**
   * The round trips of {@link batch}, one pipeline per node: `addNode` queues
   * the commands for the key indexes `group` (all served by one node; every
   * index on a single server) and may return a function that takes that
   * pipeline's replies. On a cluster each attempt groups the keys afresh, so
   * a batch the topology moved under is resent to the right nodes.
   */
  async batchNodes(
    keys: readonly Buffer[],
    addNode: (p: StorePipeline, group: readonly number[]) => ((replies: PipelineReplies) => void) | void,
    options: { transaction?: boolean } = {},
    onAttempt?: () => void,
  ): Promise<void> {
    await this.ready();
    for (let attempt = 1; ; attempt++) {
      onAttempt?.();
      const groups = this.#groups(keys);
      const replySets: PipelineReplies[] = [];
      const settled = await Promise.allSettled(
        groups.map(async (group) => {
          const p = (options.transaction && !this.isCluster ? this.client.multi() : this.client.pipeline()) as StorePipeline;
          const take = addNode(p, group);
          this.#coalesceWrites();
          const replies = (await p.exec()) as PipelineReplies | null;
          if (!replies) throw new Error('the transaction was aborted');
          replySets.push(replies);
          take?.(replies);
        }),
      );
      let firstError: unknown;
      let retry = false;
      for (const s of settled) {
        if (s.status === 'rejected') {
          firstError ??= s.reason;
          if (this.isCluster && RETRYABLE_ON_CLUSTER.test(String((s.reason as Error)?.message))) retry = true;
        }
      }
      if (firstError === undefined) {
        for (const replies of replySets) {
          for (const [err] of replies) {
            if (!err) continue;
            firstError ??= err;
            if (this.isCluster && RETRYABLE_ON_CLUSTER.test(err.message)) retry = true;
          }
        }
      }
      if (firstError === undefined) return;
      if (!retry || attempt >= CLUSTER_ATTEMPTS) throw firstError;
      await sleep(100 * attempt);
      const cluster = this.client as Cluster;
      await new Promise<void>((resolve) => cluster.refreshSlotsCache(() => resolve()));
    }
  }

  /**
   * Whether the servers run scripts that touch keys of several slots of one
   * node (Redis 7's `allow-cross-slot-keys` flag): asked once, of one master.
   */
  async crossSlotScripts(): Promise<boolean> {
    this.#crossSlot ??= (async () => {
      await this.ready();
      const info = await this.masters()[0]!.info('server');
      const major = Number(/redis_version:(\d+)/.exec(info)?.[1] ?? 0);
      return major >= 7;
    })().catch((err: unknown) => {
      this.#crossSlot = undefined;
      throw err;
    });
    return this.#crossSlot;
  }

  /**
   * Sends one command. The commands and pipelines sent while the event loop
   * handles one round of I/O (the reads of concurrent requests) leave in one
   * socket write per server: the sockets are corked at the first and uncorked
   * once that round is over (`setImmediate`), instead of one system call each.
   */
  send(command: Command): Promise<unknown> {
    this.#coalesceWrites();
    return this.client.sendCommand(command) as Promise<unknown>;
  }

  /**
   * Corks the sockets until the event loop's current round of I/O is over (see
   * {@link send}): the server's, or on a cluster every connected node's (a
   * command's node is known only once ioredis routes it).
   */
  #coalesceWrites(): void {
    if (this.#corked !== undefined) return;
    const clients = this.isCluster ? (this.client as Cluster).nodes('all') : [this.client as Redis];
    const corked: Array<Redis['stream']> = [];
    for (const c of clients) {
      const stream = c.stream as Redis['stream'] | undefined;
      if (stream === undefined || !stream.writable) continue;
      stream.cork();
      corked.push(stream);
    }
    if (corked.length === 0) return;
    this.#corked = corked;
    setImmediate(this.#uncork);
  }

  #corked: Array<Redis['stream']> | undefined;
  readonly #uncork = (): void => {
    const corked = this.#corked;
    this.#corked = undefined;
    for (const stream of corked ?? []) stream.uncork();
  };

  /** Closes the client (QUIT, then disconnect when QUIT cannot be sent). */
  async close(): Promise<void> {
    if (this.client.status === 'end' || this.client.status === 'wait') {
      this.client.disconnect();
      return;
    }
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
