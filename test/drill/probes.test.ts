import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lastStamp } from '../../src/drill/probes.js';

describe('lastStamp', () => {
  const dir = mkdtempSync(join(tmpdir(), 'l3ha-probes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('reads the newest reply stamp of a probe file', () => {
    const f = join(dir, 'fping.out');
    writeFileSync(
      f,
      '[1796305675.05594] 198.51.100.8  : [403], 64 bytes\n[1796305675.25607] 198.51.100.10 : [403], 64 bytes\n',
    );
    expect(lastStamp(f)).toBeCloseTo(1796305675256.07, 1);
  });
  it('is undefined for a missing or stampless file', () => {
    expect(lastStamp(join(dir, 'none'))).toBeUndefined();
    writeFileSync(join(dir, 'empty'), 'PING\n');
    expect(lastStamp(join(dir, 'empty'))).toBeUndefined();
  });
});
