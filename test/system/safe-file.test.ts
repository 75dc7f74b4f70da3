import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSafely } from '../../src/system/safe-file.js';

// These tests run as root (chown needs it), as the integration tests do.

const STRICT = { maxBytes: 1024, noFollow: true, rootOwned: true } as const;
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('readFileSafely', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'l3ha-safe-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a root-owned regular file', () => {
    const f = join(dir, 'r.yaml');
    writeFileSync(f, 'id: r1\n', { mode: 0o644 });
    expect(readFileSafely(f, STRICT)).toBe('id: r1\n');
  });

  it('refuses a symlink without reading its target, even to a good file', () => {
    const target = join(dir, 'target');
    writeFileSync(target, 'secret\n', { mode: 0o600 });
    symlinkSync(target, join(dir, 'link.yaml'));
    expect(codeOf(() => readFileSafely(join(dir, 'link.yaml'), STRICT))).toBe('L3HA_NOT_REGULAR_FILE');
    // The agent config may be a link: followed only when asked.
    expect(readFileSafely(join(dir, 'link.yaml'), { ...STRICT, noFollow: false })).toBe('secret\n');
  });

  it('refuses a fifo at once, with or without following links', () => {
    const fifo = join(dir, 'f.yaml');
    execFileSync('mkfifo', [fifo]);
    const t0 = Date.now();
    expect(codeOf(() => readFileSafely(fifo, STRICT))).toBe('L3HA_NOT_REGULAR_FILE');
    expect(codeOf(() => readFileSafely(fifo, { ...STRICT, noFollow: false }))).toBe('L3HA_NOT_REGULAR_FILE');
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('refuses a directory and a device', () => {
    expect(codeOf(() => readFileSafely(dir, STRICT))).toBe('L3HA_NOT_REGULAR_FILE');
    expect(codeOf(() => readFileSafely('/dev/zero', { ...STRICT, noFollow: false }))).toBe(
      'L3HA_NOT_REGULAR_FILE',
    );
  });

  it('refuses a file over the cap, and reports a missing one as unreadable', () => {
    const f = join(dir, 'big.yaml');
    writeFileSync(f, 'x'.repeat(1025));
    expect(codeOf(() => readFileSafely(f, STRICT))).toBe('L3HA_FILE_TOO_LARGE');
    writeFileSync(f, 'x'.repeat(1024));
    expect(readFileSafely(f, STRICT)).toHaveLength(1024);
    expect(codeOf(() => readFileSafely(join(dir, 'none'), STRICT))).toBe('L3HA_FILE_UNREADABLE');
  });

  it.each([
    ['group-writable', 0o664, 0, 'uid 0, mode 0664'],
    ['world-writable', 0o646, 0, 'uid 0, mode 0646'],
    ['owned by another user', 0o644, 1000, 'uid 1000, mode 0644'],
  ])('refuses a file %s, naming the owner and mode', (_n, mode, uid, found) => {
    const f = join(dir, 'r.yaml');
    writeFileSync(f, 'id: r1\n');
    chmodSync(f, mode);
    chownSync(f, uid, 0);
    try {
      readFileSafely(f, STRICT);
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'L3HA_INSECURE_FILE', file: f, value: found });
    }
    expect(readFileSafely(f, { ...STRICT, rootOwned: false })).toBe('id: r1\n');
  });
});
