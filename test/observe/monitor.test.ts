import { describe, expect, it } from 'vitest';
import { nsidOfEvent } from '../../src/observe/monitor.js';
import { parseNsidList } from '../../src/system/netns-ids.js';

// Recorded from iproute2 6.1: `ip -o monitor address link all-nsid` and `ip -j netns list`.
const ADDED =
  '[nsid 0]1: lo    inet 192.0.2.77/32 scope global lo\\       valid_lft forever preferred_lft forever';
const DELETED = '[nsid 12]Deleted 4: gw    inet 203.0.113.50/32 scope global gw\\       valid_lft forever';
const LINK =
  '[nsid 7]3: gw@if845: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default \\    link/ether 02:66:c3:0d:f3:ec brd ff:ff:ff:ff:ff:ff';
const ROOT = '2: eth0    inet 10.0.0.2/24 brd 10.0.0.255 scope global eth0';

describe('address monitor lines', () => {
  it('names the namespace id of an added or deleted address or a link change, and none for the root namespace', () => {
    expect(nsidOfEvent(ADDED)).toBe(0);
    expect(nsidOfEvent(DELETED)).toBe(12);
    expect(nsidOfEvent(LINK)).toBe(7);
    expect(nsidOfEvent(ROOT)).toBeUndefined();
    expect(nsidOfEvent('')).toBeUndefined();
  });

  it('maps namespace ids to names', () => {
    const m = parseNsidList('[{"name":"qrouter-r1","id":0},{"name":"qrouter-r2","id":3},{"name":"plain"}]');
    expect([...m]).toEqual([
      [0, 'qrouter-r1'],
      [3, 'qrouter-r2'],
    ]);
    expect(parseNsidList('')).toEqual(new Map());
  });
});
