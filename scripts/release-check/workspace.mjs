// The workspace as the release sees it: its packages (found at run time, not
// listed here), a throwaway copy of it to version and publish from, and the
// snapshot versions given to that copy.
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runOk } from './util.mjs';

/**
 * Every workspace package (the root excepted), from `pnpm ls -r`:
 * `{ name, version, dir, private }`.
 */
export function listWorkspace(root) {
  const res = runOk('pnpm', ['ls', '-r', '--depth', '-1', '--json'], { cwd: root });
  const rootDir = path.resolve(root);
  return JSON.parse(res.stdout)
    .filter((p) => path.resolve(p.path) !== rootDir)
    .map((p) => {
      const manifest = JSON.parse(readFileSync(path.join(p.path, 'package.json'), 'utf8'));
      return { name: manifest.name, version: manifest.version, dir: p.path, private: manifest.private === true, manifest };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The packages `pnpm release` publishes: every workspace package not marked private. */
export const publicPackages = (root) => listWorkspace(root).filter((p) => !p.private);

/**
 * Copies the workspace at `src` to `dest`: the files git tracks or would track
 * (committed or not), the built `dist/` of every public package, and a link to
 * the root node_modules (for the changesets CLI). `dest` becomes a git
 * repository with one commit, as changesets tags what it publishes.
 */
export function copyWorkspace(src, dest) {
  const listed = runOk('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: src }).stdout.split('\0').filter((f) => f && f !== 'node_modules');
  mkdirSync(dest, { recursive: true });
  for (const file of listed) {
    const from = path.join(src, file);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
    cpSync(from, path.join(dest, file), { verbatimSymlinks: true });
  }
  const unbuilt = [];
  for (const pkg of publicPackages(src)) {
    const dist = path.join(pkg.dir, 'dist');
    if (!existsSync(dist)) unbuilt.push(pkg.name);
    else cpSync(dist, path.join(dest, path.relative(src, pkg.dir), 'dist'), { recursive: true, verbatimSymlinks: true });
  }
  if (unbuilt.length > 0) throw new Error(`build first (pnpm build): no dist/ in ${unbuilt.join(', ')}`);
  symlinkSync(path.join(src, 'node_modules'), path.join(dest, 'node_modules'));
  linkWorkspaceDependencies(dest);
  const git = (...args) => runOk('git', args, { cwd: dest });
  git('init', '-q', '-b', 'release-check');
  git('add', '-A');
  git('-c', 'user.name=release-check', '-c', 'user.email=release-check@localhost', 'commit', '-q', '--no-verify', '-m', 'release check copy');
}

/**
 * Links each `workspace:` dependency into its dependent's node_modules, as
 * `pnpm install` does: `pnpm publish` reads the linked package's version to
 * replace the range.
 */
function linkWorkspaceDependencies(dir) {
  const pkgs = listWorkspace(dir);
  const byName = new Map(pkgs.map((p) => [p.name, p]));
  for (const pkg of pkgs) {
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
      for (const [dep, range] of Object.entries(pkg.manifest[field] ?? {})) {
        const target = byName.get(dep);
        if (!String(range).startsWith('workspace:') || !target) continue;
        const link = path.join(pkg.dir, 'node_modules', dep);
        if (existsSync(link)) continue;
        mkdirSync(path.dirname(link), { recursive: true });
        symlinkSync(path.relative(path.dirname(link), target.dir), link);
      }
    }
  }
}

/**
 * Gives every public package of the copy at `dir` a snapshot version with
 * `changeset version --snapshot <tag>` (a changeset naming each of them is
 * added first, so none is left out) and returns name -> version.
 */
export function snapshotVersions(dir, tag) {
  const pkgs = publicPackages(dir);
  const front = pkgs.map((p) => `"${p.name}": patch`).join('\n');
  writeFileSync(path.join(dir, '.changeset', `${tag}.md`), `---\n${front}\n---\n\nRelease check snapshot.\n`);
  runOk(path.join(dir, 'node_modules', '.bin', 'changeset'), ['version', '--snapshot', tag], { cwd: dir });
  const versions = new Map(publicPackages(dir).map((p) => [p.name, p.version]));
  const unchanged = pkgs.filter((p) => versions.get(p.name) === p.version).map((p) => p.name);
  if (unchanged.length > 0) throw new Error(`changeset version --snapshot left ${unchanged.join(', ')} at its version`);
  return versions;
}
