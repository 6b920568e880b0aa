// What the local registry now holds, read back from it: every public package
// at its snapshot version with no `workspace:` range left, internal ranges on
// the snapshot versions, a tarball holding every file its package.json names
// (exports, main, types, bin, files) and the files it reads at run time; and
// no private package at all.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CheckFailure, run } from './util.mjs';

/** Files a package reads at run time besides its exports (core imports the protobuf schemas generated at build time). */
export const RUNTIME_FILES = {
  '@feast-ts/core': ['dist/proto/generated/feast-types.js', 'dist/proto/generated/feast-core.js'],
};

const DEP_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'];

/** `[file, where]` for every path package.json names in exports (all conditions), main, module, types and bin. */
export function referencedFiles(manifest) {
  const out = [];
  const add = (value, where) => {
    if (typeof value === 'string') {
      if (!value.includes('*')) out.push([path.posix.normalize(value.replace(/^\.\//, '')), where]);
    } else if (Array.isArray(value)) value.forEach((v, i) => add(v, `${where}[${i}]`));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) add(v, `${where}[${JSON.stringify(k)}]`);
  };
  add(manifest.exports, 'exports');
  for (const field of ['main', 'module', 'types', 'typings']) add(manifest[field], field);
  if (typeof manifest.bin === 'string') add(manifest.bin, 'bin');
  else for (const [name, file] of Object.entries(manifest.bin ?? {})) add(file, `bin.${name}`);
  return out;
}

/** Problems with the tarball's file list, each naming the file. */
export function contentProblems(manifest, files) {
  const problems = [];
  for (const [file, where] of referencedFiles(manifest)) {
    if (!files.includes(file)) problems.push(`package.json names ${file} (${where}), which is not in the published tarball`);
  }
  for (const entry of manifest.files ?? []) {
    if (entry.startsWith('!') || /[*?[]/.test(entry)) continue;
    const clean = path.posix.normalize(entry.replace(/^\.\//, '')).replace(/\/$/, '');
    if (!files.some((f) => f === clean || f.startsWith(`${clean}/`))) problems.push(`"files" lists ${clean}, but the published tarball has nothing there`);
  }
  for (const file of RUNTIME_FILES[manifest.name] ?? []) {
    if (!files.includes(file)) problems.push(`${file} is read at run time but is not in the published tarball (add its directory to "files" in package.json)`);
  }
  return problems;
}

/** The registry's document for `name` (null on 404), fetched over loopback. */
async function packument(url, name) {
  const res = await fetch(`${url}${name.replace('/', '%2f')}`, { headers: { accept: 'application/json' } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`GET ${url}${name}: ${res.status} ${res.statusText}`);
  return res.json();
}

/**
 * Reads every public package back from the registry at `url` and checks it;
 * `privateNames` must not be there. Throws a CheckFailure naming each package
 * and file at fault; returns one line per package for the log.
 */
export async function verifyPublished({ url, versions, privateNames, workDir }) {
  const problems = [];
  const lines = [];
  const tarballs = path.join(workDir, 'published');
  mkdirSync(tarballs, { recursive: true });
  for (const [name, version] of versions) {
    const id = `${name}@${version}`;
    const doc = await packument(url, name);
    const manifest = doc?.versions?.[version];
    if (!manifest) {
      problems.push(`${id}: not on the local registry after publishing (it has ${doc ? Object.keys(doc.versions ?? {}).join(', ') || 'no version' : 'no such package'})`);
      continue;
    }
    if (doc['dist-tags']?.latest !== version) problems.push(`${id}: the latest tag is ${doc['dist-tags']?.latest}, not the version just published`);
    for (const field of DEP_FIELDS) {
      for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
        if (String(range).startsWith('workspace:')) problems.push(`${id}: the published package.json still has ${field}.${dep}: ${range}`);
        else if (versions.has(dep) && field !== 'devDependencies' && !String(range).includes(versions.get(dep))) {
          problems.push(`${id}: ${field}.${dep} is ${range}, not a range on the version published with it (${versions.get(dep)})`);
        }
      }
    }
    const res = await fetch(manifest.dist.tarball);
    if (!res.ok) {
      problems.push(`${id}: cannot download its tarball ${manifest.dist.tarball}: ${res.status} ${res.statusText}`);
      continue;
    }
    const tgz = path.join(tarballs, path.basename(new URL(manifest.dist.tarball).pathname));
    writeFileSync(tgz, Buffer.from(await res.arrayBuffer()));
    const files = run('tar', ['-tzf', tgz]).stdout.split('\n').filter((l) => l && !l.endsWith('/')).map((l) => l.replace(/^package\//, ''));
    const packageJson = JSON.parse(run('tar', ['-xzOf', tgz, 'package/package.json']).stdout);
    const found = contentProblems(packageJson, files);
    for (const p of found) problems.push(`${id}: ${p}`);
    lines.push(`  ${id}: ${files.length} files, ${found.length === 0 ? 'contents ok' : 'contents WRONG'}`);
  }
  for (const name of privateNames) {
    if ((await packument(url, name)) !== null) problems.push(`${name}: a private package is on the registry`);
  }
  if (problems.length > 0) throw new CheckFailure('verify', problems);
  lines.push(`  none of the ${privateNames.length} private packages is on the registry (${privateNames.join(', ')})`);
  return lines;
}
