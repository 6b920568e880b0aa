import type { FastifyInstance } from 'fastify';
import { errorBody, FeatureServerRequestError } from '../errors.js';
import type { ServerContext } from '../server-context.js';

/**
 * `GET /health`: 200 with an empty body (as Feast) while the registry's last read succeeded; 503
 * with an error body while it cannot be read, and once shutdown has begun.
 * `GET /metrics`: the Prometheus text of {@link FeatureServerMetrics} (with workers, summed over all of them).
 */
export function registerHealthAndMetricsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/health', async (request, reply) => {
    if (ctx.isDraining()) {
      const err = new FeatureServerRequestError(503, 'shutting_down', 'The feature server is shutting down.');
      return reply.code(503).type('application/json').send(JSON.stringify(errorBody(err, request.id)));
    }
    if (!ctx.registry.healthy) {
      const cause = ctx.registry.lastError;
      const err = new FeatureServerRequestError(
        503,
        'registry_unavailable',
        `The registry cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`,
        cause,
      );
      return reply.code(503).type('application/json').send(JSON.stringify(errorBody(err, request.id)));
    }
    return reply.code(200).send();
  });

  app.get('/metrics', async (_request, reply) => {
    const { text, contentType } = await ctx.metricsText();
    return reply.type(contentType).send(text);
  });
}
