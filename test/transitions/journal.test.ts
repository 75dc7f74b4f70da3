import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendJournal, readJournal } from '../../src/system/journal-file.js';
import { formatEntry, type JournalEntry, parseJournal } from '../../src/transitions/journal.js';

const entry = (n: number): JournalEntry => ({
  time: `2025-01-01T00:00:${String(n).padStart(2, '0')}.000Z`,
  event: 'transition',
  router: 'r1',
  from: 'BACKUP',
  to: 'MASTER',
  source: 'hook',
});

describe('formatEntry', () => {
  it('writes one line ending in a newline that parses back to the entry', () => {
    const e: JournalEntry = { ...entry(1), errors: ['nft: line 1\nline 2'] };
    const line = formatEntry(e);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(parseJournal(line)).toEqual([e]);
  });
});

describe('parseJournal', () => {
  it('skips a torn last line and garbage, keeping whole entries in order', () => {
    const whole = formatEntry(entry(1)) + formatEntry(entry(2));
    const torn = formatEntry(entry(3)).slice(0, 20);
    expect(parseJournal(`${whole}not json\n\n${torn}`)).toEqual([entry(1), entry(2)]);
  });

  it('skips JSON lines that are not journal objects', () => {
    const text = [
      'null',
      '42',
      '"text"',
      '[1,2]',
      '{"event":"hook"}',
      '{"time":7}',
      formatEntry(entry(4)),
    ].join('\n');
    expect(parseJournal(text)).toEqual([entry(4)]);
  });

  it('reads Windows line endings', () => {
    expect(parseJournal(formatEntry(entry(5)).replace('\n', '\r\n'))).toEqual([entry(5)]);
  });
});

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
