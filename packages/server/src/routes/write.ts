import { entityKeyFor, toValueProto, type FeatureView } from '@feast-ts/core';
import type { FastifyInstance } from 'fastify';
import { rowsFromColumns } from '../df-rows.js';
import { readPushBody, readWriteBody } from '../request-shapes.js';
import { requestMetricsHook, setMetricLabels, type ServerContext } from '../server-context.js';

/**
 * Converts every row for every view the way `writeToOnlineStore` will, so a push that feeds
 * several views writes none of them when any row is bad.
 */
function checkRows(view: FeatureView, rows: ReadonlyArray<Record<string, unknown>>): void {
  const features = view.features;
  rows.forEach((row, i) => {
    const at = `view "${view.name}", row ${i}`;
    entityKeyFor(view, row, at);
    for (const f of features) toValueProto(row[f.name], f.dtype, `${at}, feature "${f.name}"`);
  });
}

/**
 * `POST /write-to-online-store` (`feature_view_name`, columnar `df`) and `POST /push`
 * (`push_source_name`, `df`, `to: "online"`): both answer `null`, as Feast's server does.
 */
export function registerWriteRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store, metrics } = ctx;
  app.post('/write-to-online-store', { onResponse: requestMetricsHook(metrics, '/write-to-online-store') }, async (request, reply) => {
    const body = readWriteBody(request.body);
    const view = await store.getFeatureView(body.featureViewName);
    setMetricLabels(request, { featureCount: String(view.features.length), featureViewCount: '1' });
    await store.writeToOnlineStore(view.name, rowsFromColumns(body.df, view));
    void reply.type('application/json');
    return 'null';
  });

  app.post('/push', { onResponse: requestMetricsHook(metrics, '/push') }, async (request, reply) => {
    const body = readPushBody(request.body);
    const views = await store.getFeatureViewsByPushSource(body.pushSourceName);
    const batches = views.map((view) => ({ view, rows: rowsFromColumns(body.df, view) }));
    if (batches.length > 1) for (const b of batches) checkRows(b.view, b.rows);
    setMetricLabels(request, { featureCount: String(views.reduce((n, v) => n + v.features.length, 0)), featureViewCount: String(views.length) });
    for (const b of batches) await store.writeToOnlineStore(b.view.name, b.rows);
    metrics.pushTotal.inc({ push_source: body.pushSourceName, mode: 'online' });
    void reply.type('application/json');
    return 'null';
  });
}
