import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isRunDir, makeOwnDir } from '../../src/system/sweep.js';

// Which directories `l3ha sweep --dir` may work on: only those l3ha made.

const base = mkdtempSync(join(tmpdir(), 'l3ha-sweep-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('run dir markers', () => {
  it('marks a directory l3ha creates, and not one that was already there', () => {
    const made = join(base, 'state', 'deep');
    makeOwnDir(made);
    expect(isRunDir(made)).toBe(true);
    const theirs = join(base, 'theirs');
    mkdirSync(theirs);
    makeOwnDir(theirs);
    expect(isRunDir(theirs)).toBe(false);
    expect(isRunDir('/usr/lib')).toBe(false);
  });
});
