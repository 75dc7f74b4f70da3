import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asL3haError, CATALOGUE, errorTable, L3haError } from '../../src/errors.js';

// One catalogue: the README's table is the catalogue's, and no code is made up elsewhere.

const root = new URL('../../', import.meta.url).pathname;
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

describe('the error catalogue', () => {
  it('is what the README error table shows, row for row', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme, `README.md must contain exactly:\n${errorTable()}`).toContain(errorTable());
  });

  it('holds every L3HA_ code that src/ and README.md name', () => {
    const texts = [...sources(join(root, 'src')), join(root, 'README.md')].map((p) =>
      readFileSync(p, 'utf8'),
    );
    // Codes appear quoted in code and in backticks or brackets in prose; L3HA_MAIN and
    // L3HA_LOG_LEVEL are a constant and an environment variable, never quoted so.
    const named = new Set(
      texts.flatMap((t) => [...t.matchAll(/['`[](L3HA_[A-Z0-9_]+)['`\]]/g)].map((m) => m[1] as string)),
    );
    expect(named.size).toBeGreaterThan(20);
    expect([...named].filter((c) => !(c in CATALOGUE))).toEqual([]);
  });

  it('marks config and tool refusals terminal and system failures retried', () => {
    expect(new L3haError('L3HA_KEEPALIVED_REJECTED', 'x').terminal).toBe(true);
    expect(new L3haError('L3HA_COMMAND_FAILED', 'x').terminal).toBe(false);
    for (const [code, e] of Object.entries(CATALOGUE)) if (e.exit === 2) expect(e.retry, code).toBe(false);
  });

  it('keeps the cause, and turns anything thrown that is not ours into L3HA_INTERNAL', () => {
    const cause = new TypeError('boom');
    const e = asL3haError(cause);
    expect(e.code).toBe('L3HA_INTERNAL');
    expect(e.cause).toBe(cause);
    const ours = new L3haError('L3HA_COMMAND_FAILED', 'x', { cause });
    expect(asL3haError(ours)).toBe(ours);
    expect(ours.cause).toBe(cause);
  });
});
