#!/usr/bin/env node
// First Load JS per route, from the production build in .next (run `next build` first).
// Next 16 with Turbopack no longer prints sizes, so this adds up what a browser loads on a first
// visit: the root main files (runtime, framework, router) plus every chunk the route's layout
// and page entries need, each gzipped as `next start` serves it.
//
//   node scripts/first-load-js.mjs [/ /dashboard ...]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');
const dotNext = path.join(root, '.next');
const routes = process.argv.slice(2).length ? process.argv.slice(2) : ['/', '/dashboard'];

const buildManifest = JSON.parse(readFileSync(path.join(dotNext, 'build-manifest.json'), 'utf8'));

/** The client reference manifest of an app route's page, as Next writes it. */
function entryFiles(route) {
  const page = route === '/' ? '/page' : `${route}/page`;
  const file = path.join(dotNext, 'server', 'app', `${page.slice(1)}_client-reference-manifest.js`);
  const sandbox = { globalThis: {} };
  sandbox.globalThis.__RSC_MANIFEST = {};
  new Function('globalThis', readFileSync(file, 'utf8'))(sandbox.globalThis);
  const manifest = sandbox.globalThis.__RSC_MANIFEST[page];
  // Entries of the segments this route renders: the root layout and the page itself.
  const wanted = Object.entries(manifest.entryJSFiles).filter(
    ([entry]) => entry === '[project]/app/layout' || entry === `[project]/app${page}`,
  );
  return wanted.flatMap(([, files]) => files);
}

const size = (file) => {
  const bytes = readFileSync(path.join(dotNext, file.replace(/^\/_next\//, '')));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const kB = (n) => `${(n / 1024).toFixed(1)} kB`;

for (const route of routes) {
  const files = [...new Set([...buildManifest.rootMainFiles, ...entryFiles(route)])];
  const total = files.map(size).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }));
  console.log(
    `${route.padEnd(12)} First Load JS ${kB(total.gzip).padStart(9)} gzip  (${kB(total.raw)} raw, ${files.length} chunks)`,
  );
}
