import { z } from 'zod';

/**
 * Base of every online store config schema: a strict zod object (an unknown
 * key is an error that names it) with a `type` field. Extend it:
 *
 * ```ts
 * export const MyOnlineStoreConfig = FeastConfigBaseModel.extend({
 *   type: z.string().default('my-package#MyOnlineStore'),
 *   url: z.string(),
 * });
 * ```
 */
export const FeastConfigBaseModel = z.strictObject({
  /** Short name (`sqlite`), `package#Export`, or Feast's dotted `package.Export`. */
  type: z.string().min(1),
});

/** The parsed form of {@link FeastConfigBaseModel}. */
export type FeastConfigBaseModel = z.infer<typeof FeastConfigBaseModel>;

/** A zod schema for an online store config: an object schema whose output has `type`. */
export type OnlineStoreConfigSchema = z.ZodType<{ type: string }>;
