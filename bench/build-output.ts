import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { ROOT } from './app-server';

/** Figures 4 and 5 read the production build in .next/ (Next 16 with Turbopack). */
const NEXT_DIR = path.join(ROOT, '.next');

const gzipBytes = (buf: Buffer) => gzipSync(buf, { level: 9 }).length;

function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, ext));
    else if (entry.name.endsWith(ext)) out.push(full);
  }
  return out;
}

/**
 * Strings that survive minification because they are data, not names: jose's error codes and
 * the SDK's user agent, header and exception names. Each must occur in the package's own files
 * (a positive control), or its absence from the middleware would prove nothing.
 */
const MARKERS = {
  jose: {
    dir: 'node_modules/jose/dist',
    strings: [
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      'ERR_JWE_DECRYPTION_FAILED',
      'ERR_JWT_EXPIRED',
      'ERR_JWKS_NO_MATCHING_KEY',
    ],
  },
  scalekitSdk: {
    dir: 'node_modules/@scalekit-sdk/node/lib',
    strings: [
      'Scalekit-Node/',
      'x-sdk-version',
      'ScalekitValidateTokenFailureException',
      '@scalekit-sdk',
    ],
  },
} as const;

export type MarkerReport = {
  strings: readonly string[];
  /** Files of the package itself that contain each marker (must all be > 0). */
  inPackage: Record<string, number>;
  /** Middleware files that contain any marker (must be 0). */
  inMiddleware: Record<string, number>;
  found: boolean;
};

export type MiddlewareFigures = {
  manifest: string;
  files: { file: string; bytes: number; gzipBytes: number }[];
  bytes: number;
  gzipBytes: number;
  jose: MarkerReport;
  scalekitSdk: MarkerReport;
};

export function middlewareFigures(): MiddlewareFigures {
  const manifestPath = path.join(NEXT_DIR, 'server', 'middleware-manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    middleware: Record<string, { files: string[] }>;
  };
  const names = [...new Set(Object.values(manifest.middleware).flatMap((m) => m.files))];
  if (names.length === 0) throw new Error('the build has no middleware bundle');
  const files = names.map((file) => {
    const buf = readFileSync(path.join(NEXT_DIR, file));
    return {
      file: `.next/${file}`,
      bytes: buf.length,
      gzipBytes: gzipBytes(buf),
      text: buf.toString('utf8'),
    };
  });

  const report = (key: keyof typeof MARKERS): MarkerReport => {
    const { dir, strings } = MARKERS[key];
    const pkgFiles = filesUnder(path.join(ROOT, dir), '.js').map((f) => readFileSync(f, 'utf8'));
    const inPackage: Record<string, number> = {};
    const inMiddleware: Record<string, number> = {};
    for (const s of strings) {
      inPackage[s] = pkgFiles.filter((t) => t.includes(s)).length;
      inMiddleware[s] = files.filter((f) => f.text.includes(s)).length;
      if (inPackage[s] === 0) throw new Error(`marker "${s}" is not in ${dir}: pick another`);
    }
    return {
      strings,
      inPackage,
      inMiddleware,
      found: Object.values(inMiddleware).some((n) => n > 0),
    };
  };

  return {
    manifest: '.next/server/middleware-manifest.json',
    files: files.map(({ file, bytes, gzipBytes }) => ({ file, bytes, gzipBytes })),
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    gzipBytes: files.reduce((n, f) => n + f.gzipBytes, 0),
    jose: report('jose'),
    scalekitSdk: report('scalekitSdk'),
  };
}

export type RouteJs = { route: string; files: string[]; bytes: number; gzipBytes: number };

/**
 * First Load JS of an App Router route, as Next used to print it: the JS a browser downloads to
 * show the route on first visit. Next 16 no longer prints it, so: the build manifest's
 * `rootMainFiles` (runtime, React, router: every route) plus the `entryJSFiles` of every segment
 * in the route's client reference manifest (layouts, page, error boundaries), de-duplicated,
 * each gzipped (level 9) and summed. `polyfillFiles` are left out, as Next did: they are
 * `nomodule` scripts that current browsers never fetch. Cross-checked against the script tags of
 * the served HTML by the caller.
 */
export function firstLoadJs(route: '/' | '/dashboard'): RouteJs {
  const build = JSON.parse(readFileSync(path.join(NEXT_DIR, 'build-manifest.json'), 'utf8')) as {
    rootMainFiles: string[];
  };
  const page = route === '/' ? '/page' : `${route}/page`;
  const source = readFileSync(
    path.join(NEXT_DIR, 'server', 'app', `${page}_client-reference-manifest.js`),
    'utf8',
  );
  const sandbox: { __RSC_MANIFEST?: Record<string, { entryJSFiles: Record<string, string[]> }> } =
    {};
  vm.runInNewContext(source, sandbox);
  const entries = sandbox.__RSC_MANIFEST?.[page]?.entryJSFiles;
  if (!entries) throw new Error(`no client reference manifest for ${route}`);
  const files = [...new Set([...build.rootMainFiles, ...Object.values(entries).flat()])].filter(
    (f) => f.endsWith('.js'),
  );
  let bytes = 0;
  let gz = 0;
  for (const file of files) {
    const buf = readFileSync(path.join(NEXT_DIR, file));
    bytes += statSync(path.join(NEXT_DIR, file)).size;
    gz += gzipBytes(buf);
  }
  return { route, files: files.map((f) => `.next/${f}`), bytes, gzipBytes: gz };
}

/**
 * Every JS chunk a served page makes the browser load for its first view: the <script src> tags
 * plus the chunks named in the inline RSC payload (client components rendered on the server but
 * split out of the route's entry, e.g. with next/dynamic, which the browser fetches to hydrate
 * them). `nomodule` polyfills are left out, as in firstLoadJs.
 */
export function chunksLoadedByHtml(html: string): string[] {
  const nomodule = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)) {
    if (/\bnoModule\b|\bnomodule\b/.test(m[0])) nomodule.add(m[1]!.replace(/\?.*$/, ''));
  }
  const out = new Set<string>();
  for (const m of html.matchAll(/(?:\/_next\/)?(static\/chunks\/[\w.-]+\.js)/g)) {
    if (nomodule.has(`/_next/${m[1]}`)) continue;
    out.add(`.next/${m[1]}`);
  }
  return [...out].sort();
}

/** Raw and gzipped (level 9) size of chunk files named `.next/...`. */
export function jsSize(files: readonly string[]): { bytes: number; gzipBytes: number } {
  let bytes = 0;
  let gz = 0;
  for (const file of files) {
    const buf = readFileSync(path.join(ROOT, file));
    bytes += buf.length;
    gz += gzipBytes(buf);
  }
  return { bytes, gzipBytes: gz };
}
