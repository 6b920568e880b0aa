/**
 * `@feast-ts/test-servers` (private): real database servers for this
 * repository's tests. One line per module; import a module by its subpath
 * (`@feast-ts/test-servers/redis`) or from here.
 *
 * @packageDocumentation
 */
export * from './policy.js';
export * from './redis.js';
export * from './postgres.js';
export * from './mysql.js';
export * from './fixtures.js';
