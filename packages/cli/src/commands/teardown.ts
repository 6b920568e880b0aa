import type { Command } from '../command.js';
import { EXIT_OK } from '../errors.js';

/** `feast-ts teardown`: remove every online table of the project and its registry entries. */
export const teardownCommand: Command = {
  name: 'teardown',
  summary: "Remove the project's online tables and registry entries",
  args: '',
  description:
    'Removes every online table of the project (OnlineStore.teardown) and its entities, feature views and feature services from the registry; ' +
    'what feast-ts does not model (data sources, on-demand views, other projects) stays in the registry.',
  options: {},
  positionals: { min: 0, max: 0 },
  examples: ['feast-ts teardown', 'feast-ts -C feature_repo teardown'],
  async run(ctx) {
    const store = await ctx.openStore();
    try {
      const views = [...(await store.listFeatureViews()), ...(await store.listStreamFeatureViews())];
      const entities = await store.listEntities();
      const services = await store.listFeatureServices();
      await store.teardown();
      for (const s of services) ctx.out(`Deleted feature service ${s.name}`);
      for (const v of views) ctx.out(`Deleted feature view ${v.name}`);
      for (const e of entities) ctx.out(`Deleted entity ${e.name}`);
      ctx.out(
        views.length + entities.length === 0
          ? `Nothing to tear down: project "${store.config.project}" has no feature views.`
          : `Tore down project "${store.config.project}".`,
      );
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
