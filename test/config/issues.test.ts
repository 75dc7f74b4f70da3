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

describe('caps', () => {
  const base = (extra: Record<string, unknown>) => JSON.stringify({ id: 'r1', vrid: 1, ...extra });

  it.each([
    ['floatingIps', 4096, { floating: '198.51.100.1', fixed: '10.0.0.5' }],
    ['routes', 256, { to: '10.9.0.0/16', via: '10.0.0.1' }],
    ['internal', 32, { name: 'p', addresses: ['10.0.0.1/24'] }],
  ])(
    'a router with more than the cap of %s is L3HA_TOO_MANY with the count and the cap',
    (field, cap, item) => {
      const errors = errorsOf(base({ [field]: Array.from({ length: cap + 1 }, () => item) }));
      const e = errors.find((x) => x.code === 'L3HA_TOO_MANY');
      expect(e?.field).toBe(field);
      expect(e?.value).toBe(cap + 1);
      expect(e?.message).toBe(`at most ${cap} entries`);
      expect(e?.format()).not.toContain('198.51.100.1');
      expect(e?.exitCode).toBe(2);
    },
  );

  it('caps the addresses of the gateway and of a port at 16', () => {
    const addresses = Array.from({ length: 17 }, (_, i) => `10.0.${i}.1/24`);
    const [e] = errorsOf(base({ gateway: { addresses } })).filter((x) => x.code === 'L3HA_TOO_MANY');
    expect(e?.field).toBe('gateway.addresses');
    expect(e?.value).toBe(17);
  });

  it('accepts exactly the cap', () => {
    const errors = errorsOf(
      base({ routes: Array.from({ length: 256 }, () => ({ to: '10.9.0.0/16', via: '10.0.0.1' })) }),
    );
    expect(errors.filter((x) => x.code === 'L3HA_TOO_MANY')).toEqual([]);
  });
});
