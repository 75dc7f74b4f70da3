import { describe, expect, it } from 'vitest';
import { burstLines } from '../../src/apply/garp.js';
import { macOf } from '../../src/config/derive.js';
import { desiredRouter } from '../../src/plan/desired.js';
import { agent, NOTIFY, router } from '../fixtures.js';

// A follow-up GARP burst is one `ip -batch` that re-sets each port's MAC to itself
// (lesson 39): the devices are those holding router addresses, never the HA port.
describe('GARP bursts', () => {
  const a = agent();
  const d = desiredRouter(a, router(), NOTIFY);

  it('covers every device that holds a GARP address, with its own stable MAC, and not ha', () => {
    const devs = new Set(d.garpAddrs.map((x) => x.dev));
    expect(d.garpDevs.map((x) => x.dev).sort()).toEqual([...devs].sort());
    expect(d.garpDevs.some((x) => x.dev === 'ha')).toBe(false);
    for (const x of d.garpDevs) expect(x.mac).toBe(macOf(a.node, 'r1', x.dev));
  });

  it('writes one link line per device', () => {
    expect(
      burstLines([
        { dev: 'gw', mac: '02:00:00:00:00:01' },
        { dev: 'qr-n1', mac: '02:00:00:00:00:02' },
      ]),
    ).toBe('link set dev gw address 02:00:00:00:00:01\nlink set dev qr-n1 address 02:00:00:00:00:02\n');
    expect(burstLines([])).toBe('');
  });
});
