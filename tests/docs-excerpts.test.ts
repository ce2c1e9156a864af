/**
 * Docs that cannot drift: README.md and docs/*.md are checked against the files they quote.
 *
 * The convention, for every Markdown file checked here: the opening fence names the quoted file
 * (a path from the repository root) in a title attribute,
 *
 *   ```tsx title="app/layout.tsx"
 *   ...lines copied from app/layout.tsx...
 *   ```
 *
 * (GitHub shows only the language; prettier keeps the attribute on the fence.)
 * - The excerpt's lines must appear in that file in the same order, each run of lines
 *   contiguous, compared with whitespace collapsed (indentation and blank lines do not matter).
 * - A line that is only an ellipsis in a comment (`// …`, `# …`, `/* … *\/`, `{/* … *\/}`)
 *   elides: the lines before and after it are separate runs, each found in order.
 * - A fence without a title may only hold shell commands, env files, output or a diagram:
 *   ```bash, sh, text, env, http or mermaid. Anything else (ts, tsx, js, css, json, ...) must
 *   name its file, so a change to that file makes this test fail until the docs follow.
 *
 * Also: README.md stays at most 12,288 bytes, and every relative link (and #anchor) in README.md
 * and docs/*.md points at a file (and heading) that exists.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const README_MAX_BYTES = 12_288;
const UNNAMED_ALLOWED = new Set(['bash', 'sh', 'text', 'env', 'http', 'mermaid']);

const DOCS = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

type Fence = { doc: string; line: number; lang: string; body: string[]; source?: string };

function fencesOf(doc: string): Fence[] {
  const lines = readFileSync(path.join(ROOT, doc), 'utf8').split('\n');
  const fences: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, marker, lang, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.trim().startsWith(marker!) && line.trim().replace(/[`~]/g, '') === '') break;
      body.push(line.slice(Math.min(indent!.length, line.length - line.trimStart().length)));
    }
    const named = /\btitle="([^"]+)"/.exec(info ?? '');
    fences.push({ doc, line: i + 1, lang: lang ?? '', body, source: named?.[1] });
    i = j;
  }
  return fences;
}

const normalise = (line: string) => line.trim().replace(/\s+/g, ' ');
const isElision = (line: string) => line.replace(/[/*#{}<>!\-\s]/g, '') === '…';

/** The excerpt split at elision markers into runs of non-blank, normalised lines. */
function segmentsOf(body: string[]): string[][] {
  const segments: string[][] = [[]];
  for (const raw of body) {
    if (isElision(raw)) segments.push([]);
    else if (raw.trim() !== '') segments.at(-1)!.push(normalise(raw));
  }
  return segments.filter((s) => s.length > 0);
}

/** Where each run starts in the file (in order), or the first run that is not there. */
function locate(fileLines: string[], segments: string[][]) {
  const lines = fileLines.map(normalise).filter((l) => l !== '');
  let from = 0;
  for (const [index, segment] of segments.entries()) {
    let found = -1;
    for (let start = from; start + segment.length <= lines.length; start++) {
      if (segment.every((line, k) => lines[start + k] === line)) {
        found = start;
        break;
      }
    }
    if (found < 0) return { missing: index, segment };
    from = found + segment.length;
  }
  return { missing: -1 };
}

const fences = DOCS.flatMap(fencesOf);
const excerpts = fences.filter((f) => f.source);

describe('named excerpts match the files they quote', () => {
  it('there are excerpts to check', () => {
    expect(excerpts.length).toBeGreaterThan(10);
  });

  it.each(excerpts.map((f) => [`${f.doc}:${f.line} quotes ${f.source}`, f] as const))(
    '%s',
    (_, fence) => {
      const file = path.join(ROOT, fence.source!);
      expect(existsSync(file), `${fence.source} does not exist`).toBe(true);
      const segments = segmentsOf(fence.body);
      expect(segments.length, 'an empty excerpt').toBeGreaterThan(0);
      const result = locate(readFileSync(file, 'utf8').split('\n'), segments);
      expect(
        result.missing,
        result.missing < 0
          ? ''
          : `run ${result.missing + 1} of the excerpt is not in ${fence.source} (after the runs ` +
              `before it):\n${result.segment!.join('\n')}\nCopy the file's current lines into ${fence.doc}.`,
      ).toBe(-1);
    },
  );
});

describe('code that is not shell, env, output or a diagram names its file', () => {
  it.each(DOCS)('%s', (doc) => {
    const unnamed = fencesOf(doc)
      .filter((f) => !f.source && !UNNAMED_ALLOWED.has(f.lang))
      .map((f) => `${doc}:${f.line} (\`\`\`${f.lang || 'no language'})`);
    expect(unnamed, 'name the file: ```ts title="path", or use bash/text/env').toEqual([]);
  });
});

describe('README.md', () => {
  it(`is at most ${README_MAX_BYTES} bytes`, () => {
    expect(statSync(path.join(ROOT, 'README.md')).size).toBeLessThanOrEqual(README_MAX_BYTES);
  });

  it('mounts the layout the way app/layout.tsx does (AuthProvider and AuthNotice)', () => {
    const layout = excerpts.find((f) => f.doc === 'README.md' && f.source === 'app/layout.tsx');
    const text = layout?.body.join('\n') ?? '';
    for (const piece of ['<AuthProvider>', '<AuthNotice', '<SiteHeader />']) {
      expect(text).toContain(piece);
    }
  });
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  let inFence = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    const heading = !inFence && /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    let unique = slug;
    for (let n = 1; anchors.has(unique); n++) unique = `${slug}-${n}`;
    anchors.add(unique);
  }
  return anchors;
}

function linksOf(doc: string): string[] {
  const text = readFileSync(path.join(ROOT, doc), 'utf8')
    .replace(/^([ \t]*)(`{3,}|~{3,})[\s\S]*?^\1\2[ \t]*$/gm, '')
    .replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z][a-z+.-]*:/i.test(target));
}

describe('relative links point at files and headings that exist', () => {
  it.each(DOCS)('%s', (doc) => {
    const broken: string[] = [];
    for (const target of linksOf(doc)) {
      const [file, anchor] = target.split('#') as [string, string | undefined];
      const resolved =
        file === '' ? path.join(ROOT, doc) : path.resolve(ROOT, path.dirname(doc), file);
      if (!existsSync(resolved)) {
        broken.push(`${target} (no such file)`);
        continue;
      }
      if (anchor && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) {
        broken.push(`${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
