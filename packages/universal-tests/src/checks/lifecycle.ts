import type { OnlineWriteRow } from '@feast-ts/core';
import { assertReadResults } from '../assert.js';
import { driverEntity, featureView } from '../fixtures/definitions.js';
import { int64Key } from '../fixtures/keys.js';
import { at } from '../fixtures/time.js';
import { entitiesOf, type UniversalCheck } from './types.js';
import { defineCheck } from './define.js';

const row = (id: number, n: number, t = 0): OnlineWriteRow => [int64Key('driver_id', id), { n: { int64Val: BigInt(n) } }, at(t), null];
const expectRow = (n: number, t = 0) => ({ eventTs: at(t), features: { n: { int64Val: BigInt(n) } } });

/** update() makes a view writable, and running it again (same or more views) neither fails nor loses data. */
export const updateIdempotent: UniversalCheck = defineCheck(
  'update-idempotent',
  'update creates what writes need and is idempotent (a second update keeps the data)',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const driver = driverEntity();
    const view = featureView('idempotent', [driver], ['n']);
    env.track([view]);
    await env.store.update(env.config, [], [view], [], [driver], false);
    await env.write(view, [row(1, 1)]);
    await env.store.update(env.config, [], [view], [], [driver], false);
    await env.store.update(env.config, [], [view], [], [driver], true);
    assertReadResults(await env.read(view, [int64Key('driver_id', 1)]), [expectRow(1)], 'after updating the same view again');
    const other = featureView('idempotent_other', [driver], ['n']);
    env.track([other]);
    await env.store.update(env.config, [], [view, other], [], [driver], true);
    await env.write(other, [row(2, 2)]);
    assertReadResults(await env.read(view, [int64Key('driver_id', 1), int64Key('driver_id', 2)]), [expectRow(1), null], 'first view after adding a second');
    assertReadResults(await env.read(other, [int64Key('driver_id', 2)]), [expectRow(2)], 'second view');
  },
);

/** Writing no rows and reading no keys work. */
export const emptyOperations: UniversalCheck = defineCheck(
  'empty-operations',
  'an empty write batch succeeds and an empty read returns []',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const view = featureView('empty_ops', [driverEntity()], ['n']);
    await env.apply([view]);
    await env.write(view, []);
    assertReadResults(await env.read(view, []), [], 'read of no keys');
  },
);

/** Two projects with the same view name keep separate data. */
export const projectIsolation: UniversalCheck = defineCheck(
  'project-isolation',
  'two projects with the same view name do not share data (nor teardown)',
  async (ctx) => {
    const a = await ctx.newEnvironment();
    const b = await ctx.newEnvironment();
    const view = featureView('shared_name', [driverEntity()], ['n']);
    await a.apply([view]);
    await b.apply([view]);
    await a.write(view, [row(1, 100)]);
    await b.write(view, [row(1, 200, 5), row(2, 201, 5)]);
    const keys = [int64Key('driver_id', 1), int64Key('driver_id', 2)];
    assertReadResults(await a.read(view, keys), [expectRow(100), null], `project ${a.project}`);
    assertReadResults(await b.read(view, keys), [expectRow(200, 5), expectRow(201, 5)], `project ${b.project}`);
    await a.store.teardown(a.config, [view], entitiesOf([view]));
    assertReadResults(await b.read(view, keys), [expectRow(200, 5), expectRow(201, 5)], `project ${b.project} after tearing down ${a.project}`);
    await a.apply([view]);
    assertReadResults(await a.read(view, keys), [null, null], `project ${a.project} after teardown and update`);
  },
);

/** A partial update that deletes one view leaves the other view's data alone. */
export const partialUpdate: UniversalCheck = defineCheck(
  'partial-update',
  'a partial update with tablesToDelete=[v1], tablesToKeep=[v2] drops only v1',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const driver = driverEntity();
    const v1 = featureView('partial_v1', [driver], ['n']);
    const v2 = featureView('partial_v2', [driver], ['n']);
    await env.apply([v1, v2]);
    await env.write(v1, [row(1, 1)]);
    await env.write(v2, [row(1, 2)]);
    await env.store.update(env.config, [v1], [v2], [], [driver], true);
    const key = [int64Key('driver_id', 1)];
    assertReadResults(await env.read(v2, key), [expectRow(2)], 'kept view after the partial update');
    await env.apply([v1]);
    assertReadResults(await env.read(v1, key), [null], 'deleted view, re-created: its old data must be gone');
    assertReadResults(await env.read(v2, key), [expectRow(2)], 'kept view after re-creating the deleted one');
  },
);

/** teardown() removes the data: after teardown and a new update, reads are empty. */
export const teardownRemovesData: UniversalCheck = defineCheck(
  'teardown-removes-data',
  'teardown removes the data (after teardown and update again, reads are [null, null])',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const driver = driverEntity();
    const v1 = featureView('teardown_v1', [driver], ['n']);
    const v2 = featureView('teardown_v2', [driver], ['n']);
    await env.apply([v1, v2]);
    await env.write(v1, [row(1, 1), row(2, 2)]);
    await env.write(v2, [row(1, 3)]);
    await env.store.teardown(env.config, [v1, v2], [driver]);
    await env.apply([v1, v2]);
    const keys = [int64Key('driver_id', 1), int64Key('driver_id', 2)];
    assertReadResults(await env.read(v1, keys), [null, null], 'first view after teardown and update');
    assertReadResults(await env.read(v2, keys), [null, null], 'second view after teardown and update');
    await env.write(v1, [row(1, 4)]);
    assertReadResults(await env.read(v1, keys), [expectRow(4), null], 'first view written again after teardown');
  },
);

/** close() releases resources; the store reconnects on the next call, and data is shared across instances. */
export const closeAndReuse: UniversalCheck = defineCheck(
  'close-and-reuse',
  'after close() the store works again, and a second instance sees the same data',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const view = featureView('reuse', [driverEntity()], ['n']);
    await env.apply([view]);
    await env.write(view, [row(1, 1)]);
    await env.store.close();
    await env.store.close();
    const keys = [int64Key('driver_id', 1), int64Key('driver_id', 2)];
    assertReadResults(await env.read(view, keys), [expectRow(1), null], 'read after close()');
    const other = env.newStoreInstance();
    assertReadResults(await other.onlineRead(env.config, view, keys), [expectRow(1), null], 'read through a second store instance');
    await other.onlineWriteBatch(env.config, view, [row(2, 2, 1)]);
    assertReadResults(await env.read(view, keys), [expectRow(1), expectRow(2, 1)], 'first instance reading what the second wrote');
  },
);
