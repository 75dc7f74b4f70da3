import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, stopAgent, waitNodeBuilt } from '../../src/lab/nodes.js';
import type { LabNode, LabPlan } from '../../src/lab/plan.js';
import { masterOf } from '../../src/lab/roles.js';
import { runner, startLab, stopLab } from '../helpers/lab.js';

// One watcher for every namespace: an address change wakes its router at once. The lab's
// resync is stretched to 10 minutes here, so nothing but the event can explain a repair.

let plan: LabPlan;

beforeAll(async () => {
  plan = await startLab(1, 'fast');
  for (const n of plan.nodes) {
    writeFileSync(
      n.config,
      readFileSync(n.config, 'utf8').replace(/^resyncSeconds: \d+$/m, 'resyncSeconds: 600'),
    );
    await stopAgent(n);
    await startAgent(n);
    expect(await waitNodeBuilt(n, 1, 30_000)).toBe(true);
  }
});

afterAll(async () => {
  await stopLab(plan);
});

const addrs = async (n: LabNode) =>
  (await runner.run('ip', ['-n', `${n.nsPrefix}r1`, '-br', 'addr', 'show', 'dev', 'gw'])).stdout;

describe('address events', () => {
  it('a router address added by hand on the BACKUP is removed long before any resync', async () => {
    const r1 = plan.routers[0];
    if (!r1) throw new Error('no router');
    const masters = await masterOf(runner, plan, r1);
    expect(masters).toHaveLength(1);
    const backup = plan.nodes.find((n) => n.name !== masters[0]) as LabNode;
    expect(readFileSync(backup.config, 'utf8')).toMatch(/^resyncSeconds: 600$/m);
    await runner.run('ip', ['-n', `${backup.nsPrefix}r1`, 'addr', 'add', `${r1.floating}/32`, 'dev', 'gw']);
    expect(await addrs(backup)).toContain(r1.floating);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await addrs(backup)).includes(r1.floating)) await sleep(50);
    expect(await addrs(backup)).not.toContain(r1.floating);
    expect(readFileSync(backup.logFile, 'utf8')).toMatch(/removeAddresses [^"]*router addresses on a BACKUP/);
    expect(await masterOf(runner, plan, r1)).toEqual(masters);
  });
});
