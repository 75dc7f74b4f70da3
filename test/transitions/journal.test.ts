import { describe, expect, it } from 'vitest';
import {
  formatEntry,
  type JournalEntry,
  parseJournal,
  parseJournalCounted,
  replayEntry,
} from '../../src/transitions/journal.js';
import { journalEntry as entry } from '../fixtures.js';

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

  it('skips JSON lines that are not journal objects, or lack the router or event that history prints', () => {
    const text = [
      'null',
      '42',
      '"text"',
      '[1,2]',
      '{"event":"hook"}',
      '{"time":7}',
      '{"time":"2026-12-03T00:00:00.000Z","event":"hook","to":"MASTER"}',
      '{"time":"2026-12-03T00:00:00.000Z","router":"r1"}',
      '{"time":"2026-12-03T00:00:00.000Z","router":"r1","event":"replay","errors":[1]}',
      formatEntry(entry(4)),
    ].join('\n');
    expect(parseJournal(text)).toEqual([entry(4)]);
  });

  it('skips and counts lines without a router, time or known event, or with fields of the wrong type', () => {
    const { router: _r, ...noRouter } = entry(1);
    const bad = [
      noRouter,
      { ...entry(2), router: 7 },
      { ...entry(3), event: 'reboot' },
      { ...entry(4), to: ['MASTER'] },
      { ...entry(5), errors: 'one' },
      { ...entry(6), replayMs: '12' },
    ].map((e) => JSON.stringify(e));
    const text = [...bad, 'not json', formatEntry(entry(7))].join('\n');
    expect(parseJournalCounted(text)).toEqual({ entries: [entry(7)], skipped: 7 });
  });

  it('reads Windows line endings', () => {
    expect(parseJournal(formatEntry(entry(5)).replace('\n', '\r\n'))).toEqual([entry(5)]);
  });
});

describe('replayEntry', () => {
  it('journals a replay with its figures', () => {
    expect(replayEntry('r1', { ms: 12.5, conntrackDeleted: 2, errors: [] }, 0)).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      event: 'replay',
      router: 'r1',
      to: 'MASTER',
      replayMs: 12.5,
      conntrackDeleted: 2,
      errors: [],
    });
  });
});
