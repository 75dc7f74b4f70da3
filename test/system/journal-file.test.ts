import { execFileSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendJournal, readJournal } from '../../src/system/journal-file.js';
import { formatEntry, parseJournal } from '../../src/transitions/journal.js';
import { journalEntry as entry } from '../fixtures.js';

describe('appendJournal and readJournal', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'l3ha-journal-'));
    file = join(dir, 'transitions.jsonl');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads nothing when no journal exists', () => {
    expect(readJournal(file)).toBe('');
  });

  it('appends lines in order', () => {
    appendJournal(file, formatEntry(entry(1)), { rotateAt: 1_000_000 });
    appendJournal(file, formatEntry(entry(2)), { rotateAt: 1_000_000 });
    expect(parseJournal(readJournal(file))).toEqual([entry(1), entry(2)]);
    expect(readdirSync(dir)).toEqual(['transitions.jsonl']);
  });

  it('rotates past maxBytes and reads the old generation before the current one', () => {
    const size = formatEntry(entry(1)).length;
    appendJournal(file, formatEntry(entry(1)), { rotateAt: size });
    appendJournal(file, formatEntry(entry(2)), { rotateAt: size }); // still at maxBytes: no rotation
    appendJournal(file, formatEntry(entry(3)), { rotateAt: size }); // past it: rotate, then append
    expect(readdirSync(dir).sort()).toEqual(['transitions.jsonl', 'transitions.jsonl.1']);
    expect(parseJournal(readFileSync(`${file}.1`, 'utf8'))).toEqual([entry(1), entry(2)]);
    expect(parseJournal(readFileSync(file, 'utf8'))).toEqual([entry(3)]);
    expect(parseJournal(readJournal(file))).toEqual([entry(1), entry(2), entry(3)]);
  });

  it('keeps only one rotated generation', () => {
    const size = formatEntry(entry(1)).length;
    for (let n = 1; n <= 9; n++) appendJournal(file, formatEntry(entry(n)), { rotateAt: size });
    expect(readdirSync(dir).sort()).toEqual(['transitions.jsonl', 'transitions.jsonl.1']);
    const kept = parseJournal(readJournal(file)).map((e) => e.time.slice(-7, -5));
    expect(kept).toEqual(['07', '08', '09']);
  });

  it('reads the rotated generation alone when the current file is missing', () => {
    writeFileSync(`${file}.1`, formatEntry(entry(1)));
    expect(parseJournal(readJournal(file))).toEqual([entry(1)]);
  });

  it('stops appending past stopAt, and never rotates then', () => {
    const line = formatEntry(entry(1));
    const cap = line.length * 2;
    const results = [1, 2, 3, 4].map((n) => appendJournal(file, formatEntry(entry(n)), { stopAt: cap }));
    expect(results).toEqual(['written', 'written', 'full', 'full']);
    expect(readFileSync(file, 'utf8').length).toBeLessThanOrEqual(cap);
    expect(readdirSync(dir)).toEqual(['transitions.jsonl']);
  });

  it('refuses a symlink in place: its target is unchanged and nothing is created', () => {
    const target = join(dir, 'target');
    writeFileSync(target, 'untouched\n');
    symlinkSync(target, file);
    expect(() => appendJournal(file, formatEntry(entry(1)), { rotateAt: 1_000_000 })).toThrowError(
      expect.objectContaining({ code: 'L3HA_NOT_REGULAR_FILE' }),
    );
    symlinkSync(join(dir, 'dangling'), `${file}.x`);
    expect(() => appendJournal(`${file}.x`, 'x\n', { stopAt: 1_000_000 })).toThrowError(
      expect.objectContaining({ code: 'L3HA_NOT_REGULAR_FILE' }),
    );
    expect(readFileSync(target, 'utf8')).toBe('untouched\n');
    expect(readdirSync(dir).sort()).toEqual(['target', 'transitions.jsonl', 'transitions.jsonl.x']);
    expect(readJournal(file)).toBe(''); // not followed when read either
  });

  it('returns at once from a fifo in place, with or without a reader, writing nothing to it', () => {
    execFileSync('mkfifo', [file]);
    const t0 = Date.now();
    expect(() => appendJournal(file, 'x\n', { stopAt: 1_000_000 })).toThrowError(
      expect.objectContaining({ code: 'L3HA_NOT_REGULAR_FILE' }),
    );
    const reader = openSync(file, 'r+'); // a reader (and writer) on the fifo
    try {
      expect(() => appendJournal(file, 'x\n', { stopAt: 1_000_000 })).toThrowError(
        expect.objectContaining({ code: 'L3HA_NOT_REGULAR_FILE' }),
      );
      expect(readJournal(file)).toBe('');
    } finally {
      closeSync(reader);
    }
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
