import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillReport } from '../../src/drill/report.js';
import type { LabPlan } from '../../src/lab/plan.js';
import { masterOf } from '../../src/lab/roles.js';
import { l3ha } from '../helpers/cli.js';
import { pingBackground, runner, startLab, stopLab, TEST_PREFIX } from '../helpers/lab.js';

// Every drill scenario against one real 2-router lab on the fast profile, through the CLI
// as operators run it. Bounds are generous: these machines are shared and noisy; the
// benchmark, not this test, measures speed.

let plan: LabPlan;
beforeAll(async () => {
  plan = await startLab(2, 'fast');
});
afterAll(async () => {
  await stopLab(plan);
});

async function drill(scenario: string): Promise<{ code: number; report: DrillReport }> {
  const r = await l3ha(['drill', scenario, '--dir', plan.dir, '--json', '--max-downtime', '3000']);
  expect(r.stdout, r.stderr).toMatch(/^\{/);
  return { code: r.code, report: JSON.parse(r.stdout) as DrillReport };
}
const failed = (r: DrillReport) => r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);

describe('l3ha drill', () => {
  it('node-loss: every flow recovers and TCP streams survive; the figure agrees with an independent ping', async () => {
    const r1 = plan.routers[0];
    if (!r1) throw new Error('no router');
    const victim = (await masterOf(runner, plan, r1))[0];
    const independent = pingBackground(plan.ext, r1.floating);
    const { code, report } = await drill('node-loss');
    const ping = await independent.stop();
    expect(failed(report)).toEqual([]);
    expect(code).toBe(0);
    expect(report.victim).toBe(victim);
    const first = report.routers[0];
    expect(first?.tcp?.survived).toBe(true);
    expect(first?.newMaster).not.toBe(victim);
    const measured = first?.flows.inbound.downtimeMs ?? 0;
    // A real outage happened (detection alone is ~0.36 s at 0.1 s adverts)...
    expect(measured).toBeGreaterThan(150);
    // ...and the drill's figure agrees with `ping -i 0.01` run beside it.
    expect(
      Math.abs(measured - ping.maxGapMs),
      `drill ${measured} ms vs ping ${ping.maxGapMs} ms`,
    ).toBeLessThan(Math.max(100, 0.3 * ping.maxGapMs));
  });

  it('keepalived-crash: the peer takes over and the lab heals', async () => {
    const { code, report } = await drill('keepalived-crash');
    expect(failed(report)).toEqual([]);
    expect(code).toBe(0);
    expect(report.routers[0]?.faultToMasterMs).toBeLessThan(3000);
  });

  it('agent-crash: no probe is lost', async () => {
    const { code, report } = await drill('agent-crash');
    expect(failed(report)).toEqual([]);
    expect(code).toBe(0);
    const lost = report.routers.flatMap((r) => Object.values(r.flows)).reduce((s, f) => s + f.lost, 0);
    expect(lost).toBe(0);
  });

  it('graceful: a planned handover costs far less than a detection time', async () => {
    const { code, report } = await drill('graceful');
    expect(failed(report)).toEqual([]);
    expect(code).toBe(0);
    expect(report.routers[0]?.newMaster).toBeDefined();
    expect(report.routers[0]?.flows.inbound.downtimeMs).toBeLessThan(1000);
  });

  it('ha-partition: split brain is reported, then exactly one MASTER remains', async () => {
    const { code, report } = await drill('ha-partition');
    expect(failed(report)).toEqual([]);
    expect(code).toBe(0);
    expect(report.splitBrainMs).toBeGreaterThan(0);
  });

  it('flap: traffic and TCP ride out three HA link bounces', async () => {
    const { code, report } = await drill('flap');
    expect(failed(report)).toEqual([]);
    expect(code).toBe(0);
  });

  it('fails with exit 1 when the downtime exceeds --max-downtime', async () => {
    const r = await l3ha(['drill', 'keepalived-crash', '--dir', plan.dir, '--json', '--max-downtime', '1']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as DrillReport;
    expect(report.ok).toBe(false);
    expect(failed(report).join()).toContain('downtime within 1 ms');
  });

  it('refuses an unknown scenario or bad numbers with exit 2', async () => {
    expect((await l3ha(['drill', 'meteor', '--dir', plan.dir])).code).toBe(2);
    expect((await l3ha(['drill', 'graceful', '--routers', 'x', '--dir', '/nonexistent-l3ha'])).code).toBe(2);
    expect((await l3ha(['drill', 'graceful', '--max-downtime', '-5', '--dir', plan.dir])).code).toBe(2);
  });
});

describe('a drill that brings its own lab', () => {
  it('prints a node-loss report and leaves nothing behind', async () => {
    const runId = `${TEST_PREFIX}own`;
    const dir = `/tmp/l3ha-test-${runId}`;
    const r = await l3ha(['drill', 'node-loss', '--routers', '1', '--dir', dir, '--run-id', runId]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/drill node-loss/);
    expect(r.stdout).toMatch(/r1\s+inbound\s+\d+\s+\d+\s+\d+ ms/);
    expect(r.stdout).toMatch(/result: PASS/);
    expect(existsSync(dir)).toBe(false);
    const left = await runner.run('ip', ['netns', 'list']);
    expect(left.stdout).not.toContain(runId);
    const procs = await runner.run('pgrep', ['-f', dir], { check: false });
    expect(procs.stdout.trim()).toBe('');
  });
});
