import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/chaos.js';

describe('parseDuration', () => {
  it('reads seconds, minutes and hours', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('45')).toBe(45_000);
    expect(parseDuration('1.5m')).toBe(90_000);
  });

  it('refuses anything else', () => {
    for (const t of ['', '0s', '-1m', '10 minutes', 'm']) expect(parseDuration(t)).toBeUndefined();
  });
});
