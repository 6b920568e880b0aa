import { readFile } from 'node:fs/promises';
import type { LogLevel } from '@feast-ts/server';
import type { Command, CommandContext, OptionValues } from '../command.js';
import { CliError, usageError } from '../errors.js';

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function intOption(values: OptionValues, name: string, min: number): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+(\.\d+)?$/.test(v.trim()) || !Number.isFinite(n) || n < min) {
    throw usageError(`--${name} takes a number >= ${min}, got "${String(v)}".`, 'serve');
  }
  return n;
}

async function readPem(ctx: CommandContext, option: string, file: string): Promise<Buffer> {
  try {
    return await readFile(ctx.resolvePath(file));
  } catch (err) {
    throw new CliError('FILE_NOT_FOUND', `--${option} ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`, { cause: err });
  }
}

/** `feast-ts serve`: Feast's HTTP feature server (`feast serve`), from `@feast-ts/server`. */
export const serveCommand: Command = {
  name: 'serve',
  summary: "Serve Feast's HTTP feature server API (get-online-features, write-to-online-store, push)",
  args: '',
  description:
    "Answers Feast's feature server API over HTTP, as `feast serve` does: POST /get-online-features, POST /write-to-online-store, " +
    'POST /push, GET /health and GET /metrics (Prometheus). Logs are JSON lines on stdout, one per request with its id. ' +
    'SIGTERM or SIGINT stops accepting connections, finishes the requests in flight, closes the store and exits 0.',
  options: {
    host: { type: 'string', valueName: '<host>', description: 'Address to listen on. Default 127.0.0.1.' },
    port: { type: 'string', short: 'p', valueName: '<port>', description: 'Port to listen on. Default 6566.' },
    workers: { type: 'string', short: 'w', valueName: '<n>', description: 'Worker processes sharing the port (node:cluster). Default 1.' },
    metrics: { type: 'boolean', short: 'm', description: 'Also serve /metrics on the metrics port (Feast: 8000), summed over all workers.' },
    'metrics-port': { type: 'string', valueName: '<port>', description: 'The port of --metrics. Default 8000.' },
    key: { type: 'string', valueName: '<file>', description: 'TLS private key (PEM); with --cert the server speaks HTTPS.' },
    cert: { type: 'string', valueName: '<file>', description: 'TLS certificate (PEM); with --key.' },
    'no-access-log': { type: 'boolean', description: 'Do not log a line per request.' },
    'log-level': { type: 'string', valueName: '<level>', description: `Log level: ${LOG_LEVELS.join(', ')}. Default info.` },
    'keep-alive-timeout': { type: 'string', valueName: '<seconds>', description: 'How long an idle keep-alive connection stays open. Default 5.' },
    registry_ttl_sec: { type: 'string', short: 'r', valueName: '<seconds>', description: "Seconds between background registry refreshes. Default: the repo's registry.cache_ttl_seconds." },
    'body-limit': { type: 'string', valueName: '<bytes>', description: 'Largest request body accepted (413 above it). Default 4194304 (4 MiB).' },
    'request-timeout': { type: 'string', valueName: '<ms>', description: 'Longest a request may take before it is answered 503. Default 30000.' },
    'shutdown-timeout': { type: 'string', valueName: '<ms>', description: 'How long shutdown waits for in-flight requests. Default 10000.' },
  },
  positionals: { min: 0, max: 0 },
  examples: ['feast-ts -C feature_repo serve', 'feast-ts serve --host 0.0.0.0 -p 6566 --workers 2 --metrics', 'feast-ts serve --key key.pem --cert cert.pem'],
  async run(ctx, values) {
    const key = typeof values.key === 'string' ? values.key : undefined;
    const cert = typeof values.cert === 'string' ? values.cert : undefined;
    if ((key === undefined) !== (cert === undefined)) throw usageError('--key and --cert go together: give both to serve HTTPS.', 'serve');
    const level = values['log-level'];
    if (level !== undefined && !LOG_LEVELS.includes(level as LogLevel)) throw usageError(`--log-level takes one of ${LOG_LEVELS.join(', ')}, got "${String(level)}".`, 'serve');
    const port = intOption(values, 'port', 0) ?? 6566;
    const metricsPort = values.metrics === true ? (intOption(values, 'metrics-port', 0) ?? 8000) : undefined;
    const keepAlive = intOption(values, 'keep-alive-timeout', 0);
    const tls = key !== undefined && cert !== undefined ? { key: await readPem(ctx, 'key', key), cert: await readPem(ctx, 'cert', cert) } : undefined;
    // Loaded here, so the other commands do not load Fastify.
    const { runFeatureServerProcess } = await import('@feast-ts/server');
    return runFeatureServerProcess({
      openStore: () => ctx.openStore(),
      host: typeof values.host === 'string' ? values.host : '127.0.0.1',
      port,
      workers: intOption(values, 'workers', 1) ?? 1,
      metricsPort,
      tls,
      logger: { level: (level as LogLevel | undefined) ?? 'info', stream: process.stdout },
      accessLog: values['no-access-log'] !== true,
      keepAliveTimeoutMs: keepAlive === undefined ? undefined : keepAlive * 1000,
      registryTtlSeconds: intOption(values, 'registry_ttl_sec', 0),
      bodyLimitBytes: intOption(values, 'body-limit', 1),
      requestTimeoutMs: intOption(values, 'request-timeout', 1),
      shutdownTimeoutMs: intOption(values, 'shutdown-timeout', 1),
      log: (line) => ctx.err(`feast-ts serve: ${line}`),
      onListening: ({ url, workers, metricsUrl }) =>
        ctx.err(`feast-ts serve: listening on ${url} (${workers} worker${workers === 1 ? '' : 's'})${metricsUrl ? `; metrics on ${metricsUrl}` : ''}`),
    });
  },
};
