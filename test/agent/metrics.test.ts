import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/agent/metrics.js';

const sample = async (m: ReturnType<typeof createMetrics>, name: string) => {
  const line = (await m.registry.metrics()).split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
};

describe('agent metrics', () => {
  it('reads the peer link as 1 or 0 at each scrape', async () => {
    let up = false;
    const m = createMetrics({ roles: () => ({}), peerUp: () => up });
    expect(await sample(m, 'l3ha_peer_link_up')).toBe(0);
    up = true;
    expect(await sample(m, 'l3ha_peer_link_up')).toBe(1);
  });

  it('has no peer-link series without a peer link', async () => {
    const m = createMetrics({ roles: () => ({ MASTER: 2 }) });
    expect(await sample(m, 'l3ha_peer_link_up')).toBeUndefined();
    expect((await m.registry.metrics()).includes('l3ha_routers{role="MASTER"} 2')).toBe(true);
  });
});
