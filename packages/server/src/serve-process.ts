import cluster, { type Worker } from 'node:cluster';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FeatureStore } from '@feast-ts/core';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { createFeatureServer } from './feature-server.js';
import type { FeatureServerOptions, MetricsText } from './options.js';

/** Options of {@link runFeatureServerProcess}: the server's, plus where and how many processes. */
export interface ServeProcessOptions extends FeatureServerOptions {
  /** Opens the FeatureStore (each worker process opens its own). */
  openStore(): Promise<FeatureStore>;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 6566. */
  port?: number;
  /** Worker processes sharing the port (node:cluster). Default 1: serve in this process. */
  workers?: number;
  /** Also serve `/metrics` on this port (Feast's `--metrics` uses 8000); with workers, summed over all of them. */
  metricsPort?: number;
  /** Told once every worker listens. */
  onListening?(info: { url: string; workers: number; metricsUrl?: string }): void;
  /** Human-readable lines about the process (start, shutdown); default stderr. */
  log?(line: string): void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
const LISTENING = 'feast-ts:listening';
/** A worker asks the primary for the metrics of all workers (its main port's `/metrics`). */
const METRICS_REQUEST = 'feast-ts:metrics-request';
const METRICS_ANSWER = 'feast-ts:metrics-answer';

interface MetricsAnswer {
  type: typeof METRICS_ANSWER;
  id: number;
  text?: string;
  contentType?: string;
  error?: string;
}

/** In a worker: the sum over all workers, from the primary (which asks every worker's registry). */
function clusterMetricsFromPrimary(timeoutMs: number): () => Promise<MetricsText> {
  let next = 0;
  const waiting = new Map<number, { resolve(m: MetricsText): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  process.on('message', (m: Partial<MetricsAnswer>) => {
    if (m?.type !== METRICS_ANSWER || typeof m.id !== 'number') return;
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    clearTimeout(w.timer);
    if (typeof m.text === 'string' && typeof m.contentType === 'string') w.resolve({ text: m.text, contentType: m.contentType });
    else w.reject(new Error(`the primary process could not sum the workers' metrics: ${m.error ?? 'no answer'}`));
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`the primary process did not answer with the workers' metrics within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      waiting.set(id, { resolve, reject, timer });
      process.send?.({ type: METRICS_REQUEST, id });
    });
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals): void => {
      for (const sig of SIGNALS) process.off(sig, on);
      resolve(s);
    };
    for (const sig of SIGNALS) process.on(sig, on);
  });
}

function metricsListener(host: string, port: number, metrics: () => Promise<{ text: string; contentType: string }>): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'INPUT_INVALID', reason: 'route_not_found', message: 'This port serves GET /metrics only.' }));
      return;
    }
    metrics().then(
      ({ text, contentType }) => res.writeHead(200, { 'content-type': contentType }).end(text),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(err as Error).message}`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const a = server.address() as AddressInfo;
      resolve({ url: `http://${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}`, server });
    });
  });
}

const closeHttp = (s: http.Server | undefined): Promise<void> =>
  new Promise((r) => {
    if (!s) return r();
    s.close(() => r());
    s.closeAllConnections();
  });

/** Races `p` against `ms`; resolves false when the time ran out. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One serving process: open the store, listen, and on SIGTERM/SIGINT drain and close. */
async function serveHere(o: ServeProcessOptions, log: (line: string) => void): Promise<number> {
  const store = await o.openStore();
  // A worker's main port answers /metrics with the sum over all workers, as the metrics port does.
  const server = await createFeatureServer(store, cluster.isWorker ? { ...o, metricsText: clusterMetricsFromPrimary(5000) } : o);
  const signal = untilSignal();
  const url = await server.listen({ host: o.host, port: o.port });
  let metrics: { url: string; server: http.Server } | undefined;
  if (cluster.isWorker) {
    AggregatorRegistry.setRegistries([server.metrics.registry as Registry]);
    new AggregatorRegistry(); // installs the worker's answer to the primary's metrics requests
    process.send?.({ type: LISTENING, url });
  } else {
    if (o.metricsPort !== undefined) {
      const reg = server.metrics.registry;
      metrics = await metricsListener(o.host ?? '127.0.0.1', o.metricsPort, async () => ({ text: await reg.metrics(), contentType: reg.contentType }));
    }
    o.onListening?.({ url, workers: 1, ...(metrics ? { metricsUrl: `${metrics.url}/metrics` } : {}) });
  }
  const sig = await signal;
  log(`${sig}: finishing in-flight requests, then closing the store`);
  const ok = await within(Promise.all([server.close(), closeHttp(metrics?.server)]), (o.shutdownTimeoutMs ?? 10_000) + 5000);
  if (!ok) log('shutdown did not finish in time; exiting anyway');
  // A worker's IPC channel to the primary would keep the process alive.
  if (cluster.isWorker) cluster.worker?.disconnect();
  return ok ? 0 : 1;
}

/** The primary of `--workers N`: forks the workers, restarts one that dies, and stops them all on a signal. */
async function superviseWorkers(o: ServeProcessOptions, n: number, log: (line: string) => void): Promise<number> {
  let stopping = false;
  let listening = 0;
  const exits = new Map<number, Promise<number>>();
  const aggregator = new AggregatorRegistry();
  let metrics: { url: string; server: http.Server } | undefined;
  let announced = false;
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((r) => (resolveReady = r));
  let firstUrl = '';
  let startFailed = false;

  const fork = (): Worker => {
    const w = cluster.fork();
    exits.set(
      w.id,
      new Promise((resolve) => {
        w.on('exit', (code, signal) => {
          const status = code ?? (signal ? 1 : 0);
          if (!stopping && !announced) {
            // A worker that cannot start (bad repo, port in use) would fail again: give up.
            log(`worker ${w.process.pid} exited (${signal ?? `code ${code}`}) before listening; stopping`);
            startFailed = true;
            resolveReady();
          } else if (!stopping) {
            log(`worker ${w.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
            exits.delete(w.id);
            fork();
          }
          resolve(status);
        });
      }),
    );
    w.on('message', (m: { type?: string; url?: string; id?: number }) => {
      if (m?.type === METRICS_REQUEST) {
        const id = m.id;
        aggregator.clusterMetrics().then(
          (text) => w.isConnected() && w.send({ type: METRICS_ANSWER, id, text, contentType: aggregator.contentType }),
          (err: unknown) => w.isConnected() && w.send({ type: METRICS_ANSWER, id, error: (err as Error).message }),
        );
        return;
      }
      if (m?.type !== LISTENING) return;
      firstUrl ||= m.url ?? '';
      if (++listening === n) resolveReady();
    });
    return w;
  };

  const signal = untilSignal();
  for (let i = 0; i < n; i++) fork();
  const first = await Promise.race([ready.then(() => (startFailed ? ('failed' as const) : ('ready' as const))), signal]);
  if (first === 'failed') {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    await within(Promise.all([...exits.values()]), 5000);
    return 1;
  }
  if (first === 'ready') {
    if (o.metricsPort !== undefined) {
      metrics = await metricsListener(o.host ?? '127.0.0.1', o.metricsPort, async () => ({ text: await aggregator.clusterMetrics(), contentType: aggregator.contentType }));
    }
    announced = true;
    o.onListening?.({ url: firstUrl, workers: n, ...(metrics ? { metricsUrl: `${metrics.url}/metrics` } : {}) });
  }
  const sig = first === 'ready' ? await signal : first;
  stopping = true;
  log(`${sig}: stopping ${exits.size} workers`);
  for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
  const all = Promise.all([...exits.values()]);
  const ok = await within(all, (o.shutdownTimeoutMs ?? 10_000) + 5000);
  if (!ok) {
    log('workers did not stop in time; killing them');
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
  }
  await closeHttp(metrics?.server);
  const codes = ok ? await all : [1];
  return codes.every((c) => c === 0) ? 0 : 1;
}

/**
 * Runs the feature server as a process, as `feast-ts serve` does: one process, or with `workers > 1`
 * a node:cluster primary whose workers share the port. Resolves, with the exit code, after
 * SIGTERM or SIGINT: the server stops accepting, finishes in-flight requests, closes the store
 * (0), or gives up after the shutdown deadline (1).
 */
export async function runFeatureServerProcess(options: ServeProcessOptions): Promise<number> {
  const log = options.log ?? ((line: string) => process.stderr.write(`feast-ts serve: ${line}\n`));
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a whole number >= 1, got ${workers}.`);
  if (workers > 1 && cluster.isPrimary) return superviseWorkers(options, workers, log);
  try {
    return await serveHere(options, log);
  } catch (err) {
    // A worker that failed to start: let the caller report the error, then drop the IPC channel so the process exits.
    if (cluster.isWorker) setTimeout(() => cluster.worker?.disconnect(), 50);
    throw err;
  }
}
