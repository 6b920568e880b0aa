import type { FeatureStore } from '@feast-ts/core';
import type { onResponseHookHandler } from 'fastify';
import type { BackgroundRefreshRegistry } from './background-registry.js';
import type { FeatureServerMetrics } from './metrics.js';
import type { MetricsText } from './options.js';

/** What the routes share. */
export interface ServerContext {
  /** The FeatureStore requests go to (its registry refreshes in the background). */
  readonly store: FeatureStore;
  readonly registry: BackgroundRefreshRegistry;
  readonly metrics: FeatureServerMetrics;
  /** True once shutdown has begun. */
  isDraining(): boolean;
  /** What `GET /metrics` answers (see `FeatureServerOptions.metricsText`). */
  metricsText(): Promise<MetricsText>;
}

/** Labels a handler sets for the request metrics. */
export interface RequestMetricLabels {
  featureCount: string;
  featureViewCount: string;
}

const LABELS = Symbol('feast-ts.metricLabels');

/** Records the feature and view counts of a request for `feast_feature_server_request_latency_seconds`. */
export function setMetricLabels(request: object, labels: RequestMetricLabels): void {
  (request as Record<symbol, RequestMetricLabels>)[LABELS] = labels;
}

/** An onResponse hook recording `feast_feature_server_request_total` and `..._request_latency_seconds` for `endpoint`. */
export function requestMetricsHook(metrics: FeatureServerMetrics, endpoint: string): onResponseHookHandler {
  return (request, reply, done) => {
    const labels = (request as unknown as Record<symbol, RequestMetricLabels | undefined>)[LABELS];
    metrics.requestTotal.inc({ endpoint, status: reply.statusCode < 400 ? 'success' : 'error' });
    metrics.requestLatency.observe(
      { endpoint, feature_count: labels?.featureCount ?? '', feature_view_count: labels?.featureViewCount ?? '' },
      reply.elapsedTime / 1000,
    );
    done();
  };
}
