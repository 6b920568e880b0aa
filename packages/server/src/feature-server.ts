import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { FeatureStore, DEFAULT_REGISTRY_CACHE_TTL_SECONDS } from '@feast-ts/core';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { BackgroundRefreshRegistry } from './background-registry.js';
import { errorBody, FeatureServerRequestError, statusOf } from './errors.js';
import { parseJsonExact } from './exact-json.js';
import { FeatureServerMetrics } from './metrics.js';
import { resolveOptions, type FeatureServerOptions, type MetricsText, type ResolvedServerOptions } from './options.js';
import { registerHealthAndMetricsRoutes } from './routes/health-and-metrics.js';
import { registerOnlineFeaturesRoute } from './routes/online-features.js';
import { registerWriteRoutes } from './routes/write.js';
import type { ServerContext } from './server-context.js';

/** Where {@link FeatureServer.listen} binds. */
export interface ListenOptions {
  /** Default `127.0.0.1`, as Feast's `feast serve`. */
  host?: string;
  /** Default 6566, as Feast's; 0 picks a free port. */
  port?: number;
}

/** A feature server answering Feast's HTTP API; embed its `app` or {@link FeatureServer.listen}. */
export interface FeatureServer {
  /** The Fastify instance: add routes or hooks before {@link listen}, or call `app.inject()` in tests. */
  readonly app: FastifyInstance;
  /** The Prometheus metrics `/metrics` serves. */
  readonly metrics: FeatureServerMetrics;
  /** The FeatureStore the server reads and writes through (its registry refreshes in the background). */
  readonly store: FeatureStore;
  /** Starts listening; resolves to the server's URL, such as `http://127.0.0.1:6566`. */
  listen(options?: ListenOptions): Promise<string>;
  /**
   * Graceful shutdown: stops accepting connections, lets in-flight requests finish (answers sent
   * meanwhile carry `Connection: close`), then closes the store. Connections still busy after
   * `shutdownTimeoutMs` are dropped. Calling it again returns the same promise.
   */
  close(): Promise<void>;
  /** True once {@link close} was called. */
  readonly closing: boolean;
}

/** How long the drain waits after the last request before it closes idle keep-alive connections. */
const QUIET_MS = 100;

function registryTtlOf(store: FeatureStore): number {
  return store.config.registryConfig?.cacheTtlSeconds ?? DEFAULT_REGISTRY_CACHE_TTL_SECONDS;
}

/**
 * Builds Feast's HTTP feature server over `store`: `POST /get-online-features`,
 * `POST /write-to-online-store`, `POST /push`, `GET /health`, `GET /metrics`, with Feast's
 * request and response JSON. Bad requests are answered 4xx with an {@link ErrorBody}; store failures
 * 503 (or 500); the server keeps serving.
 *
 * ```ts
 * const store = await FeatureStore.open('./feature_repo');
 * const server = await createFeatureServer(store, { logger: true });
 * await server.listen({ port: 6566 });
 * process.once('SIGTERM', () => void server.close());
 * ```
 */
export async function createFeatureServer(store: FeatureStore, options: FeatureServerOptions = {}): Promise<FeatureServer> {
  const opts = resolveOptions(options, registryTtlOf(store));
  const app = buildApp(opts);
  const registry = new BackgroundRefreshRegistry(await store.getRegistry(), opts.registryTtlSeconds, (err) => {
    app.log.error({ err }, 'registry refresh failed; serving the last registry read');
  });
  const serving = new FeatureStore(store.config, store.onlineStore, registry);
  const metrics = new FeatureServerMetrics();
  let draining = false;
  let inFlight = 0;
  let lastDone = 0;

  const ownMetrics = async (): Promise<MetricsText> => ({ text: await metrics.registry.metrics(), contentType: metrics.registry.contentType });
  const ctx: ServerContext = { store: serving, registry, metrics, isDraining: () => draining, metricsText: options.metricsText ?? ownMetrics };
  app.addHook('onRequest', (request, reply, done) => {
    inFlight++;
    // A request timeout of our own: Fastify's handlerTimeout is cleared once a POST body has been read.
    const timer = setTimeout(() => {
      if (!reply.sent) void reply.send(timeoutError(opts.requestTimeoutMs));
    }, opts.requestTimeoutMs);
    reply.raw.once('close', () => {
      clearTimeout(timer);
      inFlight--;
      lastDone = performance.now();
    });
    void reply.header('x-request-id', request.id);
    if (draining) void reply.header('connection', 'close');
    done();
  });
  registerOnlineFeaturesRoute(app, ctx);
  registerWriteRoutes(app, ctx);
  registerHealthAndMetricsRoutes(app, ctx);
  app.addHook('onClose', async () => {
    await registry.close();
    if (opts.closeStore) await store.close();
  });

  try {
    await registry.start(store.config.project);
  } catch (err) {
    app.log.error({ err }, 'the registry cannot be read; /health answers 503 until it can');
  }
  await app.ready();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      draining = true;
      const server = app.server;
      const deadline = performance.now() + opts.shutdownTimeoutMs;
      if (server.listening) net.Server.prototype.close.call(server); // stop accepting; keep open connections for now
      // Let in-flight requests finish, and requests already on their way over open connections arrive.
      while (performance.now() < deadline && (inFlight > 0 || performance.now() - lastDone < QUIET_MS)) {
        await new Promise((r) => setTimeout(r, 10));
      }
      if (inFlight > 0) app.log.warn({ inFlight }, 'shutdown deadline reached; dropping the connections still busy');
      server.closeIdleConnections();
      if (inFlight > 0) server.closeAllConnections();
      await app.close();
    })();
    return closing;
  };

  return {
    app,
    metrics,
    store: serving,
    get closing() {
      return closing !== undefined;
    },
    async listen(listen: ListenOptions = {}) {
      return app.listen({ host: listen.host ?? '127.0.0.1', port: listen.port ?? 6566 });
    },
    close,
  };
}

function timeoutError(ms: number): FeatureServerRequestError {
  return new FeatureServerRequestError(503, 'timeout', `The request did not finish within ${ms} ms; the online store may be slow or unreachable.`);
}

function buildApp(opts: ResolvedServerOptions): FastifyInstance {
  const app = Fastify({
    ...(opts.tls ? { https: { key: opts.tls.key, cert: opts.tls.cert } } : {}),
    logger: opts.logger === false ? false : { level: opts.logger.level, ...(opts.logger.stream ? { stream: opts.logger.stream } : {}) },
    logController: new LogController({ disableRequestLogging: !opts.accessLog, requestIdLogLabel: 'request_id' }),
    bodyLimit: opts.bodyLimitBytes,
    requestTimeout: opts.requestTimeoutMs,
    keepAliveTimeout: opts.keepAliveTimeoutMs,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: false,
    forceCloseConnections: false,
  }) as unknown as FastifyInstance;

  // Feast's server reads any body as JSON, whatever its content type; integers beyond 2^53 stay exact.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.length === 0) return done(null, undefined);
    try {
      done(null, parseJsonExact(text));
    } catch (err) {
      done(new FeatureServerRequestError(400, 'malformed_json', `The request body is not valid JSON: ${(err as Error).message}.`, err), undefined);
    }
  });

  app.setErrorHandler((err, request, reply) => {
    let e: unknown = err;
    const code = (err as { code?: unknown }).code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      e = new FeatureServerRequestError(413, 'body_too_large', `The request body is larger than the limit of ${opts.bodyLimitBytes} bytes; send fewer rows per request or raise the limit (--body-limit).`, err);
    }
    const status = statusOf(e);
    if (status >= 500) request.log.error({ err: e }, 'request failed');
    else request.log.info({ status, err: (e as Error).message }, 'request refused');
    return reply.code(status).type('application/json').send(JSON.stringify(errorBody(e, request.id)));
  });

  app.setNotFoundHandler((request, reply) => {
    const err = new FeatureServerRequestError(
      404,
      'route_not_found',
      `No route ${request.method} ${request.url}. The feature server answers POST /get-online-features, POST /write-to-online-store, POST /push, GET /health and GET /metrics.`,
    );
    return reply.code(404).type('application/json').send(JSON.stringify(errorBody(err, request.id)));
  });
  return app;
}
