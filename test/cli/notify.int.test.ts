import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJournal } from '../../src/transitions/journal.js';
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
});
