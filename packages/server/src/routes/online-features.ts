import type { FeatureService } from '@feast-ts/core';
import type { FastifyInstance } from 'fastify';
import { decodeBytesJoinKeys } from '../bytes-join-keys.js';
import { readOnlineFeaturesBody } from '../request-shapes.js';
import { onlineResponseJson } from '../response-writer.js';
import { requestMetricsHook, setMetricLabels, type ServerContext } from '../server-context.js';

function labelsOf(features: string[] | FeatureService): { featureCount: string; featureViewCount: string } {
  if (Array.isArray(features)) {
    // References usually come grouped by view: a view name is cut out only when it changes.
    const views = new Set<string>();
    let last = '';
    for (const f of features) {
      const colon = f.indexOf(':');
      if (colon === last.length && f.startsWith(last)) continue;
      last = f.slice(0, colon);
      views.add(last);
    }
    return { featureCount: String(features.length), featureViewCount: String(views.size) };
  }
  let count = 0;
  for (const p of features.projections) count += p.features.length;
  return { featureCount: String(count), featureViewCount: String(features.projections.length) };
}

/**
 * `POST /get-online-features`: Feast's request (`features` or `feature_service`, columnar `entities`,
 * `full_feature_names`) and response. A BYTES join key's values come as base64 text, as responses write Bytes.
 */
export function registerOnlineFeaturesRoute(app: FastifyInstance, ctx: ServerContext): void {
  const { store, metrics } = ctx;
  app.post('/get-online-features', { onResponse: requestMetricsHook(metrics, '/get-online-features') }, async (request, reply) => {
    const body = readOnlineFeaturesBody(request.body);
    const features = body.featureService !== undefined ? await store.getFeatureService(body.featureService) : body.features!;
    setMetricLabels(request, labelsOf(features));
    const started = performance.now();
    const project = store.config.project;
    const snapshot = ctx.registry.loadCached(project) ?? (await ctx.registry.load(project));
    const entityRows = decodeBytesJoinKeys(snapshot, body.entities);
    const response = await store.getOnlineFeatures({ features, entityRows, fullFeatureNames: body.fullFeatureNames });
    metrics.onlineStoreReadDuration.observe((performance.now() - started) / 1000);
    metrics.onlineFeaturesRequests.inc();
    metrics.onlineFeaturesEntityCount.observe(response.rowCount);
    void reply.type('application/json');
    return onlineResponseJson(response);
  });
}
