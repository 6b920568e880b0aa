import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_NAME_PATTERN } from '@feast-ts/core';
import type { Command } from '../command.js';
import { CliError, EXIT_OK, usageError } from '../errors.js';
import { version } from '../version.js';
import { projectNameFrom, scaffoldFiles } from '../scaffold.js';

/** Whether this CLI runs from a source checkout rather than from a package installed into node_modules. */
function runsFromCheckout(): boolean {
  return !fileURLToPath(import.meta.url).split(path.sep).includes('node_modules');
}

/** `feast-ts init [dir]`: scaffold a feature repo. */
export const initCommand: Command = {
  name: 'init',
  summary: 'Create a feature repo: feature_store.yaml (SQLite), definitions.ts, sample data',
  args: '[dir]',
  description: [
    'Creates a feature repo in [dir] (default: feature_repo): feature_store.yaml with the embedded',
    'SQLite online store, definitions.ts with a driver entity and a driver_hourly_stats feature view,',
    'data/driver_stats.csv with sample rows, package.json and .gitignore. Existing files are kept',
    'unless --force; a directory that already holds feature_store.yaml is refused.',
  ].join('\n'),
  options: {
    project: { type: 'string', valueName: '<name>', description: 'Project name; default: from the directory name.' },
    force: { type: 'boolean', description: 'Overwrite existing files.' },
  },
  positionals: { min: 0, max: 1 },
  examples: ['feast-ts init', 'feast-ts init my_repo --project driver_ranking'],
  async run(ctx, values, [dirArg]) {
    const dir = ctx.resolvePath(dirArg ?? 'feature_repo');
    const project = typeof values.project === 'string' ? values.project : projectNameFrom(path.basename(dir));
    if (!PROJECT_NAME_PATTERN.test(project) || project.includes('-')) {
      throw usageError(`--project "${project}" is not a valid project name: use letters, digits and underscores, starting with a letter or digit.`, 'init');
    }
    const force = values.force === true;
    if (!force && existsSync(path.join(dir, 'feature_store.yaml'))) {
      throw new CliError('REPO_EXISTS', `${dir} is already a feature repo (it has feature_store.yaml). Pass --force to overwrite the scaffold's files.`);
    }
    const files = scaffoldFiles({ project, version: version() });
    const rel = path.relative(ctx.io.cwd, dir) || '.';
    ctx.out(`Creating feature repo "${project}" in ${rel}`);
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(dir, name);
      if (!force && existsSync(file)) {
        ctx.out(`  kept    ${name} (exists)`);
        continue;
      }
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      ctx.out(`  created ${name}`);
    }
    ctx.out(
      [
        '',
        'Next steps:',
        ...(rel === '.' ? [] : [`  cd ${rel}`]),
        '  npm install            # @feast-ts/core, imported by definitions.ts',
        '  npx feast-ts apply',
        '  npx feast-ts write driver_hourly_stats data/driver_stats.csv',
        '  npx feast-ts get-online-features --features driver_hourly_stats:conv_rate --entity driver_id=1001',
        ...(runsFromCheckout()
          ? [
              '',
              `This feast-ts runs from a source checkout: if @feast-ts/* ${version()} is not on your registry yet, \`npm install\``,
              'cannot find it. Install the packed tarballs of the checkout instead (see "Before the first public release"',
              "in feast-ts's README.md).",
            ]
          : []),
      ].join('\n'),
    );
    return EXIT_OK;
  },
};
