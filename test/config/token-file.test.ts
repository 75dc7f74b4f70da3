import { chmodSync, chownSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readToken, tokenFileErrors } from '../../src/config/token-file.js';

// One set of rules for the peer-link token: `l3ha check` and the agent both use them.

const dir = mkdtempSync(join(tmpdir(), 'l3ha-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const asRoot = process.getuid?.() === 0;
const GOOD = `${'k'.repeat(32)}\n`;

function tokenFile(name: string, text: string, mode: number, uid = 0): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, mode);
  if (asRoot) chownSync(file, uid, 0);
  return file;
}

describe('the peer-link token file', () => {
  it.runIf(asRoot)('reads a root-owned 0600 file of 16 characters or more', () => {
    const file = tokenFile('good', GOOD, 0o600);
    expect(readToken(file)).toBe('k'.repeat(32));
    expect(tokenFileErrors({ tokenFile: file })).toEqual([]);
  });

  it.runIf(asRoot).each([
    ['mode 0666, owned by nobody', 'nobody', '123456', 0o666, 65534, 'mode 0666 uid 65534'],
    ['mode 0640', 'group', GOOD, 0o640, 0, 'mode 0640 uid 0'],
    ['mode 0604', 'other', GOOD, 0o604, 0, 'mode 0604 uid 0'],
    ['owned by uid 1000', 'user', GOOD, 0o600, 1000, 'mode 0600 uid 1000'],
    ['a 6-character token', 'short', '123456\n', 0o600, 0, '6 characters'],
  ])('refuses %s with L3HA_INSECURE_TOKEN_FILE', (_n, name, text, mode, uid, value) => {
    const file = tokenFile(name, text, mode, uid);
    const errors = tokenFileErrors({ tokenFile: file });
    expect(errors.map((e) => [e.code, e.file, e.field, e.value])).toEqual([
      ['L3HA_INSECURE_TOKEN_FILE', file, 'peerLink.tokenFile', value],
    ]);
    expect(errors[0]?.exitCode).toBe(2);
    expect(() => readToken(file)).toThrowError(expect.objectContaining({ code: 'L3HA_INSECURE_TOKEN_FILE' }));
  });

  it('refuses a missing file with L3HA_FILE_UNREADABLE', () => {
    const file = join(dir, 'missing');
    expect(tokenFileErrors({ tokenFile: file }).map((e) => [e.code, e.field, e.value])).toEqual([
      ['L3HA_FILE_UNREADABLE', 'peerLink.tokenFile', file],
    ]);
  });

  it.runIf(asRoot)('refuses a directory', () => {
    const errors = tokenFileErrors({ tokenFile: dir });
    expect(errors.map((e) => [e.code, e.value])).toEqual([
      ['L3HA_INSECURE_TOKEN_FILE', 'not a regular file'],
    ]);
  });

  it.runIf(asRoot)('judges the file a symlink points to', () => {
    const target = tokenFile('target', GOOD, 0o644);
    const link = join(dir, 'link');
    symlinkSync(target, link);
    expect(tokenFileErrors({ tokenFile: link }).map((e) => e.code)).toEqual(['L3HA_INSECURE_TOKEN_FILE']);
  });

  it('has nothing to say without a peer link', () => {
    expect(tokenFileErrors(undefined)).toEqual([]);
  });
});
