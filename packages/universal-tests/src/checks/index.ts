import { atomicWrites } from './atomic-writes.js';
import { callsAroundClose, unappliedView } from './error-kinds.js';
import { featureStoreApplyTeardown, featureStoreTypes, featureStoreWriteRead } from './feature-store.js';
import { compoundKeyOrder, entitylessView } from './keys.js';
import { featureStoreMultiView, multiViewReads } from './multi-view.js';
import { closeAndReuse, emptyOperations, partialUpdate, projectIsolation, teardownRemovesData, updateIdempotent } from './lifecycle.js';
import { duplicateKeys, largeRead, missingEntities, requestedFeatures } from './reads.js';
import {
  roundTripInt64Extremes,
  roundTripLargeBytes,
  roundTripLists,
  roundTripNested,
  roundTripNull,
  roundTripScalars,
  roundTripSets,
  roundTripUnicode,
} from './round-trip.js';
import { servingEntityRows, servingEveryType, servingJson, servingStatusesTtl } from './serving.js';
import type { UniversalCheck } from './types.js';
import { batchDuplicateKeys, concurrentWrites, overwriteReplaces, progressCallback, staleWrites } from './writes.js';

/**
 * Every check of the suite, in run order. The first group drives the
 * OnlineStore contract directly; the `feature-store-*` checks go through
 * core's FeatureStore facade.
 */
export const universalChecks: readonly UniversalCheck[] = Object.freeze([
  updateIdempotent,
  emptyOperations,
  roundTripScalars,
  roundTripLists,
  roundTripSets,
  roundTripNested,
  roundTripNull,
  roundTripUnicode,
  roundTripLargeBytes,
  roundTripInt64Extremes,
  missingEntities,
  requestedFeatures,
  duplicateKeys,
  largeRead,
  compoundKeyOrder,
  entitylessView,
  multiViewReads,
  overwriteReplaces,
  batchDuplicateKeys,
  staleWrites,
  progressCallback,
  concurrentWrites,
  atomicWrites,
  projectIsolation,
  partialUpdate,
  teardownRemovesData,
  closeAndReuse,
  unappliedView,
  callsAroundClose,
  featureStoreWriteRead,
  featureStoreTypes,
  featureStoreApplyTeardown,
  featureStoreMultiView,
  servingEveryType,
  servingStatusesTtl,
  servingJson,
  servingEntityRows,
]);

/** The ids of {@link universalChecks}, for skip lists. */
export const UNIVERSAL_CHECK_IDS: readonly string[] = Object.freeze(universalChecks.map((c) => c.id));
