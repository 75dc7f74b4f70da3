import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The shape rules of docs/design.md, read from the code itself, so they stay true.

const SRC = new URL('../../src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

interface Import {
  readonly from: string;
  readonly names: string[];
}

// Static and dynamic imports of a file, with the names a static import takes.
function importsOf(text: string): Import[] {
  const out: Import[] = [];
  for (const m of text.matchAll(/import\s+(type\s+)?([^'";]*?)\s*from\s*'([^']+)'/g)) {
    if (m[1]) continue; // type-only: no code is loaded
    const names = [...(m[2] ?? '').matchAll(/\b(type\s+)?([A-Za-z_$][\w$]*)\b(?:\s+as\s+\w+)?/g)]
      .filter((n) => !n[1])
      .map((n) => n[2] as string);
    out.push({ from: m[3] as string, names });
  }
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) out.push({ from: m[1] as string, names: [] });
  return out;
}

const all = files(SRC).map((path) => ({
  path: relative(SRC, path),
  text: readFileSync(path, 'utf8'),
}));
const folder = (p: string) => p.split('/')[0] ?? '';
const AGENT_PATH = ['config', 'render', 'plan', 'observe', 'transitions', 'agent'];
const PROCESS_LIBS = ['node:child_process', 'child_process', 'execa', 'chokidar'];
const FS = ['node:fs', 'node:fs/promises', 'fs', 'fs/promises'];
const FS_READS = new Set([
  'existsSync',
  'readFileSync',
  'readdirSync',
  'statSync',
  'lstatSync',
  'readFile',
  'readdir',
  'stat',
  'lstat',
  'constants',
]);

describe('the agent path changes nothing by itself', () => {
  it('never imports a way to run a process outside src/system', () => {
    const bad = all
      .filter((f) => folder(f.path) !== 'system')
      .flatMap((f) =>
        importsOf(f.text)
          .filter((i) => PROCESS_LIBS.includes(i.from))
          .map((i) => `${f.path}: ${i.from}`),
      );
    expect(bad).toEqual([]);
  });

  it('imports only the reading half of node:fs, and observe/ not even that (it reads through system/)', () => {
    const bad = all
      .filter((f) => AGENT_PATH.includes(folder(f.path)))
      .flatMap((f) =>
        importsOf(f.text)
          .filter((i) => FS.includes(i.from))
          .filter((i) => folder(f.path) === 'observe' || i.names.some((n) => !FS_READS.has(n)))
          .map((i) => `${f.path}: ${i.names.join(',')} from ${i.from}`),
      );
    expect(bad).toEqual([]);
  });

  it('reaches the system only through src/system, and changes it only through src/apply', () => {
    const layer = (from: string) => /\.\.\/(\w+)\//.exec(from)?.[1];
    const rules: Record<string, string[]> = {
      plan: ['system', 'apply', 'observe', 'agent', 'cli', 'lab', 'drill', 'bench'],
      render: ['system', 'apply', 'observe', 'agent', 'plan', 'cli', 'lab', 'drill', 'bench'],
      config: ['apply', 'observe', 'agent', 'plan', 'cli', 'lab', 'drill', 'bench'],
      transitions: ['system', 'apply', 'observe', 'agent', 'cli', 'lab', 'drill', 'bench'],
      observe: ['apply', 'agent', 'cli', 'lab', 'drill', 'bench'],
      apply: ['observe', 'agent', 'cli', 'lab', 'drill', 'bench'],
      system: ['apply', 'observe', 'agent', 'plan', 'render', 'cli', 'lab', 'drill', 'bench'],
    };
    const bad = all.flatMap((f) => {
      const banned = rules[folder(f.path)] ?? [];
      return importsOf(f.text)
        .filter((i) => banned.includes(layer(i.from) ?? ''))
        .map((i) => `${f.path} imports ${i.from}`);
    });
    expect(bad).toEqual([]);
  });

  it('keeps every file small: none over 250 lines', () => {
    const big = all.filter((f) => f.text.split('\n').length > 250).map((f) => f.path);
    expect(big).toEqual([]);
  });

  it('reads imports the way this test assumes (a check of the checker)', () => {
    expect(
      importsOf("import { writeFile, type X } from 'node:fs';\nimport type { Y } from 'node:fs';"),
    ).toEqual([{ from: 'node:fs', names: ['writeFile'] }]);
    expect(importsOf("const m = await import('execa');")).toEqual([{ from: 'execa', names: [] }]);
  });
});
