#!/usr/bin/env node
// Checks that the code in the docs is code that CI compiles or runs.
//
// A fenced block preceded by a marker comment
//
//   <!-- snippet: examples/custom-online-store/src/config.ts#config -->
//   ```ts
//   ...
//   ```
//
// must equal the named region of that file (path relative to the repo root):
// the lines between `// #region config` and `// #endregion config` (`#` comments
// in YAML and shell files, `<!-- -->` in markdown), with nested region markers
// dropped and the common indentation removed. Without `#region` the block must
// equal the whole file.
//
// With no files named it also checks that relative links in the docs lead to
// files and that docs/SUMMARY.md links every page under docs/.
//
// In docs/how-to/ every code block must be marked, except shell blocks whose
// every command is one CI runs: a root or package script (`pnpm docs:check`,
// `pnpm --filter <pkg> test:universal`) or a line of .ci/run.
//
// Usage: node scripts/check-docs-snippets.mjs [--write] [files...]   (default: every doc)
//   --write  copies each marked region from its source into the doc instead of failing
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STRICT_DIRS = ['docs/how-to/'];
const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console']);
const MARKER = /^\s*<!--\s*snippet:\s*(\S+?)\s*-->\s*$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;
const REGION = /^\s*(?:\/\/|#|<!--|\/\*)\s*#(region|endregion)\b\s*([\w.-]*)/;

function rel(file) {
  return path.relative(ROOT, file).split(path.sep).join('/');
}

function* markdownFiles(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      if (rel(p) !== 'docs/api') yield* markdownFiles(p);
    } else if (name.endsWith('.md')) yield p;
  }
}

function defaultFiles() {
  const files = [...markdownFiles(path.join(ROOT, 'docs'))];
  for (const extra of ['CONTRIBUTING.md', 'README.md']) if (existsSync(path.join(ROOT, extra))) files.push(path.join(ROOT, extra));
  for (const ex of existsSync(path.join(ROOT, 'examples')) ? readdirSync(path.join(ROOT, 'examples')).sort() : []) {
    const readme = path.join(ROOT, 'examples', ex, 'README.md');
    if (existsSync(readme)) files.push(readme);
  }
  return files;
}

/** Fenced code blocks of a markdown file, each with the snippet marker right above it (blank lines allowed). */
function codeBlocks(text) {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    let end = i + 1;
    while (end < lines.length && !(lines[end].trim().startsWith(fence) && lines[end].trim().replace(/[`~]/g, '') === '')) end++;
    let j = i - 1;
    while (j >= 0 && lines[j].trim() === '') j--;
    const marker = j >= 0 ? MARKER.exec(lines[j]) : null;
    const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
    blocks.push({ line: i + 1, end: end + 1, indent, lang: lang.toLowerCase(), body, source: marker?.[1] });
    i = end;
  }
  return blocks;
}

function dedent(lines) {
  const widths = lines.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)[0].length);
  const cut = widths.length > 0 ? Math.min(...widths) : 0;
  return lines.map((l) => l.slice(cut));
}

function trimBlankEdges(lines) {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return lines.slice(a, b).map((l) => l.replace(/\s+$/, ''));
}

/** The lines of `region` in `file` (or the whole file), or an error string. */
function extract(spec) {
  const hash = spec.indexOf('#');
  const file = hash < 0 ? spec : spec.slice(0, hash);
  const region = hash < 0 ? undefined : spec.slice(hash + 1);
  const abs = path.join(ROOT, file);
  if (!existsSync(abs)) return { error: `${file} does not exist` };
  const lines = readFileSync(abs, 'utf8').replace(/\r\n/g, '\n').split('\n');
  let start = 0;
  let end = lines.length;
  if (region !== undefined) {
    start = lines.findIndex((l) => REGION.exec(l)?.[1] === 'region' && REGION.exec(l)?.[2] === region);
    if (start < 0) return { error: `${file} has no "#region ${region}" comment` };
    end = lines.findIndex((l, k) => k > start && REGION.exec(l)?.[1] === 'endregion' && REGION.exec(l)?.[2] === region);
    if (end < 0) return { error: `${file}: "#region ${region}" has no matching "#endregion ${region}"` };
    start += 1;
  }
  const body = lines.slice(start, end).filter((l) => !REGION.test(l));
  return { lines: trimBlankEdges(dedent(body)) };
}

/** A line diff (longest common subsequence), `-` for the doc and `+` for the source. */
function diff(doc, src) {
  const n = doc.length;
  const m = src.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = doc[i] === src[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && doc[i] === src[j]) {
      out.push(`    ${doc[i]}`);
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) out.push(`  - ${doc[i++]}`);
    else out.push(`  + ${src[j++]}`);
  }
  // Show only the changed lines and two lines of context around them.
  const keep = new Set();
  out.forEach((l, k) => {
    if (!l.startsWith('    ')) for (let c = k - 2; c <= k + 2; c++) keep.add(c);
  });
  return out.map((l, k) => (keep.has(k) ? l : keep.has(k - 1) ? '    ...' : null)).filter((l) => l !== null).join('\n');
}

/** Commands CI runs: root and package scripts (each command of them), and the lines of .ci/run. */
function ciCommands() {
  const scripts = new Map(); // package name ('' for the root) -> script names
  const texts = [];
  const addPackage = (dir, isRoot) => {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) return;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    scripts.set(isRoot ? '' : pkg.name, new Set(Object.keys(pkg.scripts ?? {})));
    for (const script of Object.values(pkg.scripts ?? {})) texts.push(...script.split(/&&|;/).map((part) => part.trim()));
  };
  addPackage(ROOT, true);
  for (const group of ['packages', 'examples']) {
    const dir = path.join(ROOT, group);
    if (existsSync(dir)) for (const name of readdirSync(dir)) addPackage(path.join(dir, name), false);
  }
  const ciRun = path.join(ROOT, '.ci', 'run');
  if (existsSync(ciRun)) texts.push(...readFileSync(ciRun, 'utf8').split('\n').map((l) => l.trim()));
  return { scripts, texts };
}

function isCiCommand(line, ci) {
  if (ci.texts.includes(line)) return true;
  const filtered = /^pnpm\s+(?:--filter|-F)\s+(\S+)\s+(?:run\s+)?([\w:.-]+)/.exec(line);
  if (filtered) return ci.scripts.get(filtered[1])?.has(filtered[2]) ?? false;
  const root = /^pnpm\s+(?:run\s+)?([\w:.-]+)/.exec(line);
  return root ? (ci.scripts.get('')?.has(root[1]) ?? false) : false;
}

const args = process.argv.slice(2);
const write = args.includes('--write');
const named = args.filter((a) => a !== '--write');
const files = named.length > 0 ? named.map((f) => path.resolve(f)) : defaultFiles();
const ci = ciCommands();
const problems = [];
let checked = 0;
let rewritten = 0;
for (const file of files) {
  const name = rel(file);
  const strict = STRICT_DIRS.some((d) => name.startsWith(d));
  const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  const lines = text.split('\n');
  const blocks = codeBlocks(text);
  for (const block of blocks) {
    const where = `${name}:${block.line}`;
    if (block.source === undefined) {
      if (!strict) continue;
      if (SHELL_LANGS.has(block.lang)) {
        const commands = block.body.map((l) => l.trim().replace(/^\$\s+/, '')).filter((l) => l !== '' && !l.startsWith('#'));
        const unknown = commands.filter((c) => !isCiCommand(c, ci));
        if (unknown.length > 0) {
          problems.push(`${where}: shell commands that no CI script runs: ${unknown.map((c) => `"${c}"`).join(', ')}. Make them a package script, or mark the block with <!-- snippet: path#region -->.`);
        }
        continue;
      }
      problems.push(`${where}: a \`\`\`${block.lang || '(no language)'} block without a <!-- snippet: path#region --> marker. Take it from a file CI compiles or runs.`);
      continue;
    }
    checked++;
    const source = extract(block.source);
    if (source.error) {
      problems.push(`${where}: snippet ${block.source}: ${source.error}`);
      continue;
    }
    const doc = trimBlankEdges(block.body);
    if (doc.join('\n') === source.lines.join('\n')) continue;
    if (write) {
      block.replacement = source.lines.map((l) => (l === '' ? '' : block.indent + l));
      continue;
    }
    problems.push(`${where}: the block differs from ${block.source} (- doc, + source):\n${diff(doc, source.lines)}`);
  }
  const changed = blocks.filter((b) => b.replacement !== undefined);
  if (changed.length > 0) {
    // Replace from the last block up, so earlier line numbers stay valid.
    for (const b of changed.reverse()) lines.splice(b.line, b.end - b.line - 1, ...b.replacement);
    writeFileSync(file, lines.join('\n'));
    rewritten += changed.length;
  }
}
// With no files named: every relative link in the docs must reach a file, and
// SUMMARY.md must link every page under docs/.
if (named.length === 0) {
  const LINK = /\]\(([^)\s#]+)(?:#[^)\s]*)?\)/g;
  for (const file of files) {
    const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const m of text.matchAll(LINK)) {
      const target = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      if (!existsSync(path.resolve(path.dirname(file), decodeURIComponent(target)))) problems.push(`${rel(file)}: the link ${target} leads to no file`);
    }
  }
  const summary = path.join(ROOT, 'docs', 'SUMMARY.md');
  if (existsSync(summary)) {
    const linked = new Set([...readFileSync(summary, 'utf8').matchAll(LINK)].map((m) => path.resolve(path.dirname(summary), m[1])));
    for (const file of markdownFiles(path.join(ROOT, 'docs'))) {
      if (file !== summary && !linked.has(file)) problems.push(`docs/SUMMARY.md does not link ${rel(file)}`);
    }
  }
}

if (write) console.log(`docs:check --write: updated ${rewritten} block${rewritten === 1 ? '' : 's'}\n`);

if (problems.length > 0) {
  console.error(`docs:check: ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n\n${problems.join('\n\n')}`);
  if (problems.some((p) => p.includes(' differs from '))) {
    console.error('\nMake the doc and the source agree: `node scripts/check-docs-snippets.mjs --write` copies every marked region into the docs.');
  }
  process.exit(1);
}
console.log(`docs:check: ${checked} snippets in ${files.length} files match their sources`);
