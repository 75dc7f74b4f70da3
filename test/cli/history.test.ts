import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runHistory } from '../../src/cli/history.js';
import { formatEntry } from '../../src/transitions/journal.js';
import { journalEntry } from '../fixtures.js';

// `l3ha history` reads journals it did not write whole: a bad line is skipped and counted.

const root = mkdtempSync(join(tmpdir(), 'l3ha-history-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function setup(journal: string): string {
  mkdirSync(join(root, 'routers.d'), { recursive: true });
  writeFileSync(
    join(root, 'routers.d', 'r1.yaml'),
    'id: r1\nvrid: 1\ngateway: { addresses: [203.0.113.1/24] }\ninternal: [{ name: n1, addresses: [10.0.0.1/24] }]\n',
  );
  mkdirSync(join(root, 'state/routers/r1'), { recursive: true });
  writeFileSync(join(root, 'state/routers/r1/transitions.jsonl'), journal);
  const config = join(root, 'agent.yaml');
  writeFileSync(
    config,
    'node: a\nnodeIndex: 1\npeers: [{ name: b, nodeIndex: 2 }]\nroutersDir: routers.d\nstateDir: state\nrunDir: run\n',
  );
  return config;
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => err.push(String(s)) > 0);
  return { out, err };
}

const { router: _omit, ...noRouter } = journalEntry(1);
const JOURNAL = [
  JSON.stringify(noRouter),
  JSON.stringify({ ...journalEntry(2), errors: 'x' }),
  '{"time": "2025',
  formatEntry(journalEntry(3)).trim(),
].join('\n');

describe('l3ha history', () => {
  it('skips malformed journal lines, prints the rest and says how many it skipped', () => {
    const config = setup(JOURNAL);
    const { out, err } = capture();
    expect(runHistory({ config })).toBe(0);
    expect(out.join('')).toContain('2025-01-01T00:00:03.000Z  r1');
    expect(out.join('').split('\n').filter(Boolean)).toHaveLength(1);
    expect(err.join('')).toContain('skipped 3 malformed journal line(s)');
  });

  it('keeps --json output valid JSON, the note on stderr', () => {
    const config = setup(JOURNAL);
    const { out, err } = capture();
    expect(runHistory({ config, json: true })).toBe(0);
    expect(JSON.parse(out.join(''))).toEqual([journalEntry(3)]);
    expect(err.join('')).toContain('skipped 3');
  });

  it('says nothing about skipping when every line is whole', () => {
    const config = setup(formatEntry(journalEntry(4)));
    const { err } = capture();
    expect(runHistory({ config, router: 'r1' })).toBe(0);
    expect(err.join('')).toBe('');
  });
});
