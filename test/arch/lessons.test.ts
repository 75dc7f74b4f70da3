import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every "lesson N" cited in code, templates or deploy files is a numbered lesson in
// docs/design.md, and no comment points at a design document outside the repository.

const root = new URL('../../', import.meta.url).pathname;
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
const cited = ['src', 'templates', 'deploy', 'test'].flatMap(walk).map((p) => ({
  p,
  text: readFileSync(p, 'utf8'),
}));

describe('lessons', () => {
  const design = readFileSync(join(root, 'docs/design.md'), 'utf8');
  const numbered = new Set([...design.matchAll(/^(\d+)\. \*\*/gm)].map((m) => Number(m[1])));

  it('docs/design.md numbers its lessons from 1 without gaps', () => {
    expect(numbered.size).toBeGreaterThan(10);
    expect([...numbered].sort((a, b) => a - b)).toEqual([...numbered].map((_, i) => i + 1));
  });

  it('every lesson a comment cites exists', () => {
    const missing = cited.flatMap(({ p, text }) =>
      [...text.matchAll(/\blessons? (\d+)/gi)]
        .map((m) => Number(m[1]))
        .filter((n) => !numbered.has(n))
        .map((n) => `${p}: lesson ${n}`),
    );
    expect(missing).toEqual([]);
  });

  it('no comment points at DESIGN.md outside the repository', () => {
    const stale = cited.filter(
      ({ p, text }) => !p.endsWith('lessons.test.ts') && /\bDESIGN\.md\b/.test(text),
    );
    expect(stale.map((s) => s.p)).toEqual([]);
  });
});
