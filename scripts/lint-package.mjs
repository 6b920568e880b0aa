#!/usr/bin/env node
// Lints the package in the current directory: the shape of package.json that
// publishing depends on, no `any` in the emitted public types, ESLint's
// type-aware rules (eslint.config.js at the repository root: no floating or
// misused promises) on src/ and test/, and no import cycle in src/.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { findImportCycles } from './check-import-cycles.mjs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const problems = [];
const need = (ok, msg) => ok || problems.push(msg);

if (!pkg.private) {
  need(pkg.type === 'module', 'type must be "module" (ESM)');
  need(pkg.sideEffects === false, 'sideEffects must be false');
  need(pkg.publishConfig?.access === 'public', 'publishConfig.access must be "public"');
  need(Array.isArray(pkg.files) && pkg.files.includes('dist'), 'files must list "dist"');
  const root = pkg.exports?.['.'];
  need(root && typeof root === 'object', 'exports["."] must be a conditions object');
  if (root && typeof root === 'object') need(Object.keys(root)[0] === 'types', 'exports["."]: "types" must come first');
  need(pkg.exports?.['./package.json'] === './package.json', 'exports must include "./package.json"');
  need(!pkg.dependencies?.['@feast-ts/core'], '@feast-ts/core must be a peerDependency, not a dependency');
  need(typeof pkg.description === 'string' && pkg.description.length > 10, 'description is missing');
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

if (existsSync('dist')) {
  for (const file of walk('dist')) {
    if (!file.endsWith('.d.ts')) continue;
    const lines = readFileSync(file, 'utf8').split('\n');
    let inComment = false;
    lines.forEach((line, i) => {
      const t = line.trim();
      if (t.startsWith('/*')) inComment = true;
      if (!inComment && !t.startsWith('//') && /(:\s*any\b|<any>|\bany\[\]|as any\b|\|\s*any\b)/.test(line)) {
        problems.push(`${file}:${i + 1}: \`any\` in a public type: ${t}`);
      }
      if (t.endsWith('*/')) inComment = false;
    });
  }
}

if (existsSync('src')) {
  for (const cycle of findImportCycles('src')) {
    problems.push(`import cycle: ${cycle.map((f) => path.relative(process.cwd(), f)).join(' -> ')} (move what both need into a module of its own)`);
  }
}

const lintTargets = ['src', 'test'].filter((d) => existsSync(d));
if (lintTargets.length > 0) {
  const eslint = new ESLint({ cwd: process.cwd(), errorOnUnmatchedPattern: false });
  const results = await eslint.lintFiles(lintTargets.map((d) => `${d}/**/*.{ts,mts,cts}`));
  for (const r of results) {
    for (const m of r.messages) {
      problems.push(`${path.relative(process.cwd(), r.filePath)}:${m.line}:${m.column}: ${m.message} (${m.ruleId ?? 'eslint'})`);
    }
  }
}

if (problems.length > 0) {
  console.error(`lint ${pkg.name}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`lint ${pkg.name}: ok`);
