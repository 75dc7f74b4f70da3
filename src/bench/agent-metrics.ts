import { setTimeout as sleep } from 'node:timers/promises';
import { startAgent, stopAgent } from '../lab/nodes.js';
import type { LabNode } from '../lab/plan.js';
import { pidsWithArg } from './proc.js';

// What the bench reads from a running agent: its /metrics, and its restart.

// One series from the agent's /metrics (the sum over its labels); undefined when it does not answer.
export async function scrape(listen: string, name: string, labels = ''): Promise<number | undefined> {
  try {
    const text = await (await fetch(`http://${listen}/metrics`)).text();
    const re = new RegExp(`^${name}(\\{[^}]*${labels}[^}]*\\})? (\\S+)$`, 'gm');
    let sum: number | undefined;
    for (const m of text.matchAll(re)) sum = (sum ?? 0) + Number(m[2]);
    return sum;
  } catch {
    return undefined;
  }
}

// Restarts the agent and times until it has looked at every router (one kernel read
// each) and its queue is empty; keepalived must be the same processes afterwards.
export async function restartAgent(a: LabNode, n: number): Promise<{ seconds: number; kept: boolean }> {
  const before = pidsWithArg('keepalived', `${a.dir}/`).sort().join(',');
  await stopAgent(a);
  const t0 = Date.now();
  await startAgent(a);
  while (Date.now() - t0 < 300_000) {
    const reads = await scrape(a.metricsListen, 'l3ha_kernel_reads_total', 'source="kernel"');
    const depth = await scrape(a.metricsListen, 'l3ha_queue_depth');
    if (reads !== undefined && reads >= n && depth === 0) break;
    await sleep(100);
  }
  const seconds = (Date.now() - t0) / 1000;
  return { seconds, kept: pidsWithArg('keepalived', `${a.dir}/`).sort().join(',') === before };
}
