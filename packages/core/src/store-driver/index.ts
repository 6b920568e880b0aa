/** The row pipeline of core and the driver surface a store implements to use it. */
export type {
  StoreDriver,
  DriverWriteOptions,
  DriverLimits,
  DriverSite,
  TimestampRange,
  LargestValue,
  WriteOrder,
  FetchRequest,
  FetchSink,
  CellProgress,
} from './driver.js';
export { DriverOnlineStore } from './driver-online-store.js';
export { encodeWrite, withContext, type EncodedWrite } from './encoded-write.js';
export { readKeys, driverFeatureFilter, type ReadKeys } from './read-keys.js';
export { ReadCollector } from './read-collector.js';
export { epochMsOf, epochSeconds } from './timestamps.js';
export { withConnection, type ConnectionOps, type ConnectionRunOptions } from '../store-helpers/connection-retry.js';
export { PoolsBySettings } from '../store-helpers/pools-by-settings.js';
export { runChunkedTransaction, type ChunkedTransaction, type TransactionRetry } from '../store-helpers/chunked-transaction.js';
export { describeTarget, storeErrorContext, type StoreErrorContext } from '../store-helpers/store-error-context.js';
