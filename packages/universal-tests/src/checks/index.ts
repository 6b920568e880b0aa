import { featureStoreApplyTeardown, featureStoreTypes, featureStoreWriteRead } from './feature-store.js';
import { compoundKeyOrder, entitylessView } from './keys.js';
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
  overwriteReplaces,
  batchDuplicateKeys,
  staleWrites,
  progressCallback,
  concurrentWrites,
  projectIsolation,
  partialUpdate,
  teardownRemovesData,
  closeAndReuse,
  featureStoreWriteRead,
  featureStoreTypes,
  featureStoreApplyTeardown,
]);

/** The ids of {@link universalChecks}, for skip lists. */
export const UNIVERSAL_CHECK_IDS: readonly string[] = Object.freeze(universalChecks.map((c) => c.id));
