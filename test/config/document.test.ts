import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, parseConfigText } from '../../src/config/document.js';
import { parseRouterText } from '../../src/config/load.js';
import { L3haError } from '../../src/errors.js';

// Hostile documents are input errors (exit 2) naming the file, never internal errors (lesson 36).

function errorOf(file: string, text: string): L3haError {
  try {
    parseConfigText(file, text);
  } catch (err) {
    if (err instanceof L3haError) return err;
    throw err;
  }
  throw new Error('accepted');
}

const BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
].join('\n');
const DEEP = 200_000;

describe('parseConfigText', () => {
  it.each([
    ['a YAML alias bomb', 'r.yaml', BOMB, 'expands more than 100 aliases'],
    [
      '200,000 nested JSON arrays',
      'r.json',
      `{"id": ${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`,
      'nests too deep to parse',
    ],
    [
      '200,000 nested YAML flow sequences',
      'r.yaml',
      `id: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}`,
      'nests too deep to parse',
    ],
    [
      '200,000 nested YAML flow maps',
      'r.yaml',
      `id: ${'{a: '.repeat(DEEP)}1${'}'.repeat(DEEP)}`,
      'nests too deep to parse',
    ],
    [
      'JSON nested 100 levels',
      'r.json',
      `{"id": ${'['.repeat(100)}${']'.repeat(100)}}`,
      `nests deeper than ${MAX_DEPTH} levels`,
    ],
  ])('refuses %s with L3HA_DOCUMENT_TOO_COMPLEX', (_n, file, text, value) => {
    const e = errorOf(file, text);
    expect([e.code, e.file, e.field, e.value]).toEqual([
      'L3HA_DOCUMENT_TOO_COMPLEX',
      file,
      '(document)',
      value,
    ]);
    expect(e.exitCode).toBe(2);
  });

  it.each([
    ['JSON', 'r.json', '{"id": "r1", "vrid": 1, "id": "r2"}', 'id'],
    ['JSON, nested', 'r.json', '{"id": "r1", "gateway": {"addresses": [], "addresses": []}}', 'addresses'],
    ['YAML', 'r.yaml', 'id: r1\nvrid: 1\nvrid: 2\n', 'vrid'],
  ])('refuses a duplicate key in %s with L3HA_SYNTAX naming the key', (_n, file, text, key) => {
    const e = errorOf(file, text);
    expect([e.code, e.file, e.field, e.value]).toEqual(['L3HA_SYNTAX', file, key, key]);
  });

  it('names the line and column of a YAML syntax error', () => {
    expect(errorOf('r.yaml', 'id: r1\nvrid: [1, 2\n').message).toMatch(/line \d+, column \d+/);
    expect(errorOf('r.yaml', 'id: r1\nvrid: [1, 2\n').message).not.toContain('line 0');
  });

  it('still reads plain JSON and YAML, and a few aliases', () => {
    expect(parseConfigText('r.json', '{"id": "r1", "vrid": 1}')).toEqual({ id: 'r1', vrid: 1 });
    expect(parseConfigText('r.yaml', 'a: &x [1]\nb: *x\n')).toEqual({ a: [1], b: [1] });
  });

  it('turns a deep router file into errors for its file, not a throw', () => {
    const r = parseRouterText('r.json', `{"id": ${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`);
    expect(Array.isArray(r) && r.map((e) => [e.code, e.file])).toEqual([
      ['L3HA_DOCUMENT_TOO_COMPLEX', 'r.json'],
    ]);
  });
});
