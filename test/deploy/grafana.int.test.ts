import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabPlan } from '../../src/lab/plan.js';
import { dashboardQueries, exposedNames, metricNames } from '../helpers/grafana.js';
import { startLab, stopLab } from '../helpers/lab.js';

// Every series the shipped dashboard queries exists in a live agent's /metrics: a lab of one
// router, both agents scraped at their `metrics: { listen }`.

let plan: LabPlan | undefined;
beforeAll(async () => {
  plan = await startLab(1);
});
afterAll(async () => {
  await stopLab(plan);
});

async function scrape(listen: string): Promise<string> {
  const r = await fetch(`http://${listen}/metrics`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toContain('text/plain');
  return r.text();
}

describe('the Grafana dashboard against live agents', () => {
  it('queries only metric names both agents export', async () => {
    const wanted = [...new Set(dashboardQueries().flatMap(metricNames))].sort();
    expect(wanted.length).toBeGreaterThanOrEqual(8);
    for (const node of plan?.nodes ?? []) {
      const exposed = exposedNames(await scrape(node.metricsListen));
      expect(
        wanted.filter((n) => !exposed.has(n)),
        `node ${node.name}`,
      ).toEqual([]);
    }
    expect(plan?.nodes.length).toBe(2);
  });

  it('sees one MASTER over the pair in l3ha_routers', async () => {
    let masters = 0;
    for (const node of plan?.nodes ?? []) {
      const m = /^l3ha_routers\{role="MASTER"\} (\d+)$/m.exec(await scrape(node.metricsListen));
      masters += Number(m?.[1] ?? 0);
    }
    expect(masters).toBe(1);
  });
});
