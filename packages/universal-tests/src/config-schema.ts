import { z } from 'zod';
import type { IntegrationTestRepoConfig, OnlineStoreConfigInput, OnlineStoreCreatorClass } from './types.js';

const OnlineStoreConfigInputSchema = z.union(
  [z.string().min(1), z.looseObject({ type: z.string().min(1, 'online_store.type must be a non-empty string') })],
  { error: 'must be an online_store section: a type string such as "sqlite", or an object with a "type" key' },
);

const CreatorClassSchema = z.custom<OnlineStoreCreatorClass>(
  (value) => typeof value === 'function' && typeof (value as { prototype?: unknown }).prototype === 'object',
  { error: 'must be a class whose instances have createOnlineStore() and teardown() (an OnlineStoreCreator)' },
);

/** zod schema of one {@link IntegrationTestRepoConfig} (unknown keys are an error, to catch typos). */
export const IntegrationTestRepoConfigSchema = z
  .strictObject({
    name: z.string().min(1, 'name must be a non-empty string'),
    onlineStore: OnlineStoreConfigInputSchema.optional(),
    creator: CreatorClassSchema.optional(),
    skip: z.array(z.string()).optional(),
    provider: z.string().min(1).optional(),
  })
  .refine((c) => c.onlineStore !== undefined || c.creator !== undefined, {
    error: 'needs an onlineStore (the online_store section) or a creator (an OnlineStoreCreator class), or both',
  });

/** zod schema of a `FULL_REPO_CONFIGS` export: a non-empty array of configs with unique names. */
export const FullRepoConfigsSchema = z
  .array(IntegrationTestRepoConfigSchema)
  .min(1, 'is empty: export at least one config')
  .superRefine((configs, ctx) => {
    const seen = new Set<string>();
    configs.forEach((c, i) => {
      if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${c.name}" is used by two configs; names must be unique` });
      seen.add(c.name);
    });
  });

/**
 * zod schema of Feast's `AVAILABLE_ONLINE_STORES` map:
 * `{ name: [online_store config or null, creator class or null] }`.
 */
export const AvailableOnlineStoresSchema = z
  .record(
    z.string().min(1),
    z
      .tuple([OnlineStoreConfigInputSchema.nullish(), CreatorClassSchema.nullish()], {
        error: 'must be a pair [online_store config | null, OnlineStoreCreator class | null]',
      })
      .refine(([config, creator]) => config != null || creator != null, {
        error: 'is [null, null]: give an online_store config, a creator class, or both',
      }),
  )
  .refine((m) => Object.keys(m).length > 0, { error: 'is empty: add at least one store' });

/** Converts a validated `AVAILABLE_ONLINE_STORES` map to configs, one per entry. */
export function configsFromAvailableOnlineStores(
  map: Record<string, [(OnlineStoreConfigInput | null)?, (OnlineStoreCreatorClass | null)?]>,
): IntegrationTestRepoConfig[] {
  return Object.entries(map).map(([name, [onlineStore, creator]]) => {
    const config: IntegrationTestRepoConfig = { name };
    if (onlineStore != null) config.onlineStore = onlineStore;
    if (creator != null) config.creator = creator;
    return config;
  });
}
