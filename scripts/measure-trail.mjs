#!/usr/bin/env node
// Measures how many files a reader opens to follow one sign-in on the server: the login route,
// the callback route and the module behind getSession, plus every lib/ file they import,
// transitively. Also prints lib/'s import levels (0 = imports nothing in lib/) and arrow count.
// Usage: node scripts/measure-trail.mjs [--arrows]
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY_ROUTES = ['app/login/route.ts', 'app/api/callback/route.ts'];

function resolveImport(from, spec) {
  let base;
  if (spec.startsWith('@/')) base = join(root, spec.slice(2));
  else if (spec.startsWith('.')) base = resolve(dirname(from), spec);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

function importsOf(file) {
  const source = readFileSync(file, 'utf8');
  const specs = [...source.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)].map(
    (m) => m[1],
  );
  return [...new Set(specs.map((s) => resolveImport(file, s)).filter(Boolean))];
}

const rel = (file) => relative(root, file);
const inLib = (file) => rel(file).startsWith('lib/');

// The module behind getSession: whichever lib/ file exports it.
function libFiles(dir = join(root, 'lib')) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return libFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}
const lib = libFiles();
const sessionModule = lib.find((f) =>
  /export (?:(?:async )?function|const) getSession\b/.test(readFileSync(f, 'utf8')),
);

const trail = new Set();
const stack = [...ENTRY_ROUTES.map((f) => join(root, f)), sessionModule];
while (stack.length) {
  const file = stack.pop();
  if (trail.has(file)) continue;
  trail.add(file);
  for (const dep of importsOf(file)) if (inLib(dep)) stack.push(dep);
}

const files = [...trail].map(rel).sort();
console.log(`Sign-in trail: ${files.length} files`);
for (const f of files) console.log(`  ${f}`);

// Levels: 0 for a lib/ module that imports no other lib/ module, else 1 + its deepest import.
const graph = new Map(lib.map((f) => [f, importsOf(f).filter(inLib)]));
const level = new Map();
function levelOf(f, seen = new Set()) {
  if (level.has(f)) return level.get(f);
  if (seen.has(f)) throw new Error(`import cycle through ${rel(f)}`);
  seen.add(f);
  const deps = graph.get(f) ?? [];
  const l = deps.length ? 1 + Math.max(...deps.map((d) => levelOf(d, seen))) : 0;
  level.set(f, l);
  return l;
}
lib.forEach((f) => levelOf(f));
const arrows = [...graph.values()].reduce((n, deps) => n + deps.length, 0);
const maxLevel = Math.max(...level.values());
console.log(`\nlib/: ${lib.length} modules, ${arrows} import arrows, ${maxLevel + 1} levels`);
for (let l = 0; l <= maxLevel; l++) {
  const at = lib
    .filter((f) => level.get(f) === l)
    .map(rel)
    .sort();
  console.log(`  level ${l}: ${at.join(', ')}`);
}
if (process.argv.includes('--arrows')) {
  console.log('\nArrows:');
  for (const [f, deps] of graph) for (const d of deps) console.log(`  ${rel(f)} -> ${rel(d)}`);
}
