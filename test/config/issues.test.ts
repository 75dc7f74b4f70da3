import { describe, expect, it } from 'vitest';
import { fieldPath, MAX_KEY_CHARS } from '../../src/config/issues.js';
import { parseRouterText } from '../../src/config/load.js';
import type { L3haError } from '../../src/errors.js';

// Field paths show keys, and keys are file content: they are cut and escaped.

const errorsOf = (text: string): L3haError[] => {
  const r = parseRouterText('r.yaml', text);
  return Array.isArray(r) ? r : [];
};

describe('fieldPath', () => {
  it('writes plain keys and indexes as operators do', () => {
    expect(fieldPath(['gateway', 'addresses', 0])).toBe('gateway.addresses[0]');
    expect(fieldPath([])).toBe('(document)');
  });

  it('JSON-escapes a key that is not a plain name, in brackets', () => {
    expect(fieldPath(['a b"\n'])).toBe('["a b\\"\\n"]');
    expect(fieldPath(['gateway', 'x.y'])).toBe('gateway["x.y"]');
  });

  it(`cuts a long key at ${MAX_KEY_CHARS} characters`, () => {
    const path = fieldPath(['k'.repeat(5000)]);
    expect(path).toBe(`["${'k'.repeat(MAX_KEY_CHARS)}..."]`);
  });
});

describe('unknown keys', () => {
  it('name the key, cut and escaped, and never the value the file holds', () => {
    const secret = 's3cr3t-'.repeat(40);
    const line = `root:$6$${'h'.repeat(200)}:19000:0:99999:7::: ${secret}`;
    const [e, ...rest] = errorsOf(`id: r1\nvrid: 1\n"${line}": ${secret}\n`);
    expect(rest).toEqual([]);
    expect(e?.code).toBe('L3HA_UNKNOWN_KEY');
    expect(e?.hasValue).toBe(false);
    const text = e?.format() ?? '';
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('h'.repeat(MAX_KEY_CHARS));
    expect(text.length).toBeLessThan(200);
  });

  it('a document that is not a mapping is reported by its type, not its text', () => {
    const [e] = errorsOf('root:x:0:0:root:/root:/bin/bash secret-text\n');
    expect(e?.field).toBe('(document)');
    expect(e?.format()).not.toContain('secret-text');
    expect(e?.value).toBe('a string');
  });

  it('a JSON syntax error does not quote the file', () => {
    const r = parseRouterText('r.json', 'root:x:0:0:secret\n');
    const e = Array.isArray(r) ? r[0] : undefined;
    expect(e?.code).toBe('L3HA_SYNTAX');
    expect(e?.format()).not.toContain('root:x');
  });
});
