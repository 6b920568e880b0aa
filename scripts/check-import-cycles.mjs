#!/usr/bin/env node
// Finds import cycles among a package's own source files (relative imports that
// exist at run time; `import type` and `export type` are left out, they vanish
// when compiled). A cycle makes module initialisation order-dependent: a class
// can be undefined where it is used. Usage: node check-import-cycles.mjs [src]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The relative modules `file` imports at run time, resolved to files. */
function runtimeImports(file) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  const re = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"](\.[^'"]+)['"]|^\s*import\s*['"](\.[^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[4] ?? m[5];
    if (m[2]) continue; // import type / export type
    // `import { type A, type B } from` is type-only too.
    const clause = (m[3] ?? '').trim();
    if (clause.startsWith('{') && clause.endsWith('}')) {
      const names = clause.slice(1, -1).split(',').map((s) => s.trim()).filter(Boolean);
      if (names.length > 0 && names.every((n) => n.startsWith('type '))) continue;
    }
    const target = resolve(path.dirname(file), spec);
    if (target) out.push(target);
  }
  return out;
}

function resolve(dir, spec) {
  const base = path.resolve(dir, spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, path.join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}

/** Every cycle as a list of files (each reported once). */
export function findImportCycles(srcDir) {
  const graph = new Map();
  for (const file of walk(path.resolve(srcDir))) graph.set(file, runtimeImports(file));
  const state = new Map(); // 1: on the stack, 2: done
  const stack = [];
  const cycles = [];
  const visit = (file) => {
    state.set(file, 1);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 1) cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 2);
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const src = process.argv[2] ?? 'src';
  const cycles = existsSync(src) ? findImportCycles(src) : [];
  for (const c of cycles) console.error(`import cycle: ${c.map((f) => path.relative(process.cwd(), f)).join(' -> ')}`);
  process.exit(cycles.length > 0 ? 1 : 0);
}
