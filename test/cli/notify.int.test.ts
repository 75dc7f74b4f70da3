import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOOK_JOURNAL_MAX_BYTES, parseJournal } from '../../src/transitions/journal.js';
import { hookArgv } from '../../src/transitions/notify-args.js';
import { l3ha } from '../helpers/cli.js';

// The keepalived hook when the agent is down: it journals and exits 0, quickly.

const root = mkdtempSync(join(tmpdir(), 'l3ha-test-notify-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('l3ha notify with no agent running', () => {
  it('journals the hook and exits 0 within the nudge timeout', async () => {
    mkdirSync(join(root, 'state/routers/r1'), { recursive: true });
    mkdirSync(join(root, 'run'));
    const t0 = Date.now();
    const r = await l3ha([
      'notify',
      ...hookArgv({ stateDir: join(root, 'state'), runDir: join(root, 'run'), state: 'BACKUP' }),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    const j = parseJournal(readFileSync(join(root, 'state/routers/r1/transitions.jsonl'), 'utf8'));
    expect(j).toMatchObject([{ event: 'hook', router: 'r1', to: 'BACKUP', priority: 100, source: 'hook' }]);
  });

  it('refuses a router it has no state for, with exit 2', async () => {
    const r = await l3ha([
      'notify',
      '--state-dir',
      join(root, 'state'),
      '--run-dir',
      join(root, 'run'),
      'INSTANCE',
      'l3ha_r9',
      'MASTER',
      '100',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('L3HA_BAD_ARGUMENT');
  });

  const hook = (router: string) =>
    l3ha([
      'notify',
      ...hookArgv({ stateDir: join(root, 'state'), runDir: join(root, 'run'), name: `l3ha_${router}` }),
    ]);

  it('does not follow a symlinked journal: the target is unchanged, and the hook exits 0', async () => {
    mkdirSync(join(root, 'state/routers/r2'), { recursive: true });
    const target = join(root, 'target');
    writeFileSync(target, 'untouched\n');
    symlinkSync(target, join(root, 'state/routers/r2/transitions.jsonl'));
    const r = await hook('r2');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('not journaled');
    expect(readFileSync(target, 'utf8')).toBe('untouched\n');
  });

  it('returns promptly with a fifo (no reader) in place of the journal', async () => {
    mkdirSync(join(root, 'state/routers/r3'), { recursive: true });
    execFileSync('mkfifo', [join(root, 'state/routers/r3/transitions.jsonl')]);
    const t0 = Date.now();
    const r = await hook('r3');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('fifo');
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('stops appending to a journal past its cap', async () => {
    mkdirSync(join(root, 'state/routers/r4'), { recursive: true });
    const f = join(root, 'state/routers/r4/transitions.jsonl');
    writeFileSync(f, '');
    truncateSync(f, HOOK_JOURNAL_MAX_BYTES - 10);
    const r = await hook('r4');
    expect(r.code).toBe(0);
    expect(statSync(f).size).toBe(HOOK_JOURNAL_MAX_BYTES - 10);
  });

  it('does not follow a symlinked notify-refused.log', async () => {
    const target = join(root, 'target2');
    writeFileSync(target, 'untouched\n');
    rmSync(join(root, 'state/notify-refused.log'), { force: true }); // the refusal above wrote one
    symlinkSync(target, join(root, 'state/notify-refused.log'));
    const r = await l3ha(['notify', '--state-dir', join(root, 'state'), 'garbage']);
    expect(r.code).toBe(2);
    expect(readFileSync(target, 'utf8')).toBe('untouched\n');
  });
});
