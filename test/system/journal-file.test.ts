import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    appendJournal(file, formatEntry(entry(1)), 1_000_000);
    appendJournal(file, formatEntry(entry(2)), 1_000_000);
    expect(parseJournal(readJournal(file))).toEqual([entry(1), entry(2)]);
    expect(readdirSync(dir)).toEqual(['transitions.jsonl']);
  });

  it('rotates past maxBytes and reads the old generation before the current one', () => {
    const size = formatEntry(entry(1)).length;
    appendJournal(file, formatEntry(entry(1)), size);
    appendJournal(file, formatEntry(entry(2)), size); // still at maxBytes: no rotation
    appendJournal(file, formatEntry(entry(3)), size); // past it: rotate, then append
    expect(readdirSync(dir).sort()).toEqual(['transitions.jsonl', 'transitions.jsonl.1']);
    expect(parseJournal(readFileSync(`${file}.1`, 'utf8'))).toEqual([entry(1), entry(2)]);
    expect(parseJournal(readFileSync(file, 'utf8'))).toEqual([entry(3)]);
    expect(parseJournal(readJournal(file))).toEqual([entry(1), entry(2), entry(3)]);
  });

  it('keeps only one rotated generation', () => {
    const size = formatEntry(entry(1)).length;
    for (let n = 1; n <= 9; n++) appendJournal(file, formatEntry(entry(n)), size);
    expect(readdirSync(dir).sort()).toEqual(['transitions.jsonl', 'transitions.jsonl.1']);
    const kept = parseJournal(readJournal(file)).map((e) => e.time.slice(-7, -5));
    expect(kept).toEqual(['07', '08', '09']);
  });

  it('reads the rotated generation alone when the current file is missing', () => {
    writeFileSync(`${file}.1`, formatEntry(entry(1)));
    expect(parseJournal(readJournal(file))).toEqual([entry(1)]);
  });
});
