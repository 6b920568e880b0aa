import os from 'node:os';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The feature server's Prometheus metrics, named as Feast's (`sdk/python/feast/metrics.py`), in a
 * registry of their own (so several servers can live in one process).
 */
export class FeatureServerMetrics {
  /** The registry `/metrics` serves. */
  readonly registry = new Registry();
  /** `feast_feature_server_request_total{endpoint, status}`: status is `success` or `error`. */
  readonly requestTotal: Counter<'endpoint' | 'status'>;
  /** `feast_feature_server_request_latency_seconds{endpoint, feature_count, feature_view_count}`. */
  readonly requestLatency: Histogram<'endpoint' | 'feature_count' | 'feature_view_count'>;
  /** `feast_online_features_request_total`. */
  readonly onlineFeaturesRequests: Counter;
  /** `feast_online_features_entity_count`: entity rows per online request. */
  readonly onlineFeaturesEntityCount: Histogram;
  /** `feast_feature_server_online_store_read_duration_seconds`. */
  readonly onlineStoreReadDuration: Histogram;
  /** `feast_push_request_total{push_source, mode}`. */
  readonly pushTotal: Counter<'push_source' | 'mode'>;

  constructor() {
    const registers = [this.registry];
    this.requestTotal = new Counter({
      name: 'feast_feature_server_request_total',
      help: 'Total number of requests to the Feast feature server',
      labelNames: ['endpoint', 'status'],
      registers,
    });
    this.requestLatency = new Histogram({
      name: 'feast_feature_server_request_latency_seconds',
      help: 'Latency of requests to the Feast feature server in seconds',
      labelNames: ['endpoint', 'feature_count', 'feature_view_count'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0],
      registers,
    });
    this.onlineFeaturesRequests = new Counter({ name: 'feast_online_features_request_total', help: 'Total online feature retrieval requests', registers });
    this.onlineFeaturesEntityCount = new Histogram({
      name: 'feast_online_features_entity_count',
      help: 'Number of entity rows per online feature request',
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers,
    });
    this.onlineStoreReadDuration = new Histogram({
      name: 'feast_feature_server_online_store_read_duration_seconds',
      help: 'Duration of the online store read phase in seconds',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0],
      registers,
    });
    this.pushTotal = new Counter({ name: 'feast_push_request_total', help: 'Total push requests to the feature store', labelNames: ['push_source', 'mode'], registers });

    // CPU and memory as Feast reports them: percent of one CPU since the last scrape, percent of the machine's memory.
    let lastCpu = process.cpuUsage();
    let lastAt = process.hrtime.bigint();
    new Gauge({
      name: 'feast_feature_server_cpu_usage',
      help: 'CPU usage percentage of the Feast feature server process',
      registers,
      collect() {
        const cpu = process.cpuUsage();
        const at = process.hrtime.bigint();
        const usedUs = cpu.user - lastCpu.user + (cpu.system - lastCpu.system);
        const wallUs = Number(at - lastAt) / 1000;
        lastCpu = cpu;
        lastAt = at;
        this.set(wallUs > 0 ? (usedUs / wallUs) * 100 : 0);
      },
    });
    new Gauge({
      name: 'feast_feature_server_memory_usage',
      help: 'Memory usage percentage of the Feast feature server process',
      registers,
      collect() {
        this.set((process.memoryUsage.rss() / os.totalmem()) * 100);
      },
    });
  }
}
