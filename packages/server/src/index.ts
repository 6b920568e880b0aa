/**
 * `@feast-ts/server`: Feast's HTTP feature server API for feast-ts, on Fastify.
 *
 * @packageDocumentation
 */
export { createFeatureServer, type FeatureServer, type ListenOptions } from './feature-server.js';
export { DEFAULT_BODY_LIMIT_BYTES, type FeatureServerOptions, type LogLevel, type MetricsText } from './options.js';
export { FeatureServerRequestError, errorBody, statusOf, type ErrorBody, type RequestFaultReason } from './errors.js';
export { FeatureServerMetrics } from './metrics.js';
export { BackgroundRefreshRegistry } from './background-registry.js';
export { parseJsonExact } from './exact-json.js';
export { onlineResponseJson } from './response-writer.js';
export { jsonTimestamp, jsonFeatureValue, rowsFromColumns } from './df-rows.js';
export type { JsonColumns, OnlineFeaturesRequestBody, WriteRequestBody, PushRequestBody } from './request-shapes.js';
export { readOnlineFeaturesBody, readWriteBody, readPushBody } from './request-shapes.js';
export { runFeatureServerProcess, type ServeProcessOptions } from './serve-process.js';
