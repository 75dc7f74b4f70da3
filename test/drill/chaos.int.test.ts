import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { ChaosReport } from '../../src/drill/chaos-report.js';
import { CLI } from '../helpers/cli.js';
import { TEST_PREFIX } from '../helpers/lab.js';

// A short chaos soak through the CLI, on a lab it brings up itself: a fixed seed whose first
// faults are node-loss, peer-link-down, file-edit, graceful and flap. Zero violations,
// several kinds run, and nothing of the lab is left afterwards, not even the peer-link cut.

const SEED = '144';

describe('l3ha drill chaos', () => {
  it('runs faults of several kinds with no invariant violation, and removes its lab', async () => {
    const runId = `${TEST_PREFIX}${randomBytes(3).toString('hex')}`;
    const dir = `/tmp/l3ha-test-${runId}`;
    const r = await execa(
      process.execPath,
      [
        CLI,
        'drill',
        'chaos',
        '--duration',
        '70s',
        '--seed',
        SEED,
        '--routers',
        '1',
        '--json',
        '--dir',
        dir,
        '--run-id',
        runId,
      ],
      { reject: false, timeout: 170_000 },
    );
    expect(String(r.stdout), String(r.stderr)).toMatch(/^\{/);
    const report = JSON.parse(String(r.stdout)) as ChaosReport;
    expect(report.violations).toEqual([]);
    expect(report.aborted).toBeUndefined();
    expect(r.exitCode).toBe(0);
    expect(report.seed).toBe(Number(SEED));
    expect(report.faults.length).toBeGreaterThanOrEqual(4);
    expect(report.byKind.length).toBeGreaterThanOrEqual(3);
    expect(report.faults.slice(0, 3).map((f) => f.fault.kind)).toEqual([
      'node-loss',
      'peer-link-down',
      'file-edit',
    ]);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync('/run/netns').filter((n) => n.startsWith(`${runId}-`))).toEqual([]);
    const tables = await execa('nft', ['list', 'tables'], { reject: false });
    expect(String(tables.stdout)).not.toContain(runId);
  });

  it.each([
    ['--duration', '10 minutes'],
    ['--seed', '-1'],
    ['--kinds', 'node-loss,meteor'],
    ['--html', '/tmp/chaos.html'],
  ])('refuses %s %s with exit 2 and brings no lab up', async (flag, value) => {
    const runId = `${TEST_PREFIX}${randomBytes(3).toString('hex')}`;
    const dir = `/tmp/l3ha-test-${runId}`;
    const r = await execa(
      process.execPath,
      [CLI, 'drill', 'chaos', flag, value, '--dir', dir, '--run-id', runId],
      {
        reject: false,
        timeout: 30_000,
      },
    );
    expect(r.exitCode, String(r.stderr)).toBe(2);
    expect(String(r.stderr)).toContain('L3HA_BAD_ARGUMENT');
    expect(String(r.stderr)).toContain(flag);
    expect(existsSync(dir)).toBe(false);
  });
});
