import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIpAddr, parseNetnsList } from '../../src/observe/links.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

describe('parseIpAddr', () => {
  it('reads interfaces, state and IPv4 addresses from recorded `ip -j addr` of a MASTER', () => {
    const links = parseIpAddr(fixture('ip-addr-master.json'));
    expect(links.map((l) => l.ifname)).toEqual(['lo', 'ha', 'gw', 'qr-n1']);
    const ha = links.find((l) => l.ifname === 'ha');
    expect(ha?.up).toBe(true);
    expect(ha?.mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    expect(ha?.addrs).toEqual(['169.254.192.10/18', '169.254.192.8/32']);
    expect(links.find((l) => l.ifname === 'gw')?.addrs).toEqual(['203.0.113.1/24', '198.51.100.1/32']);
  });

  it('shows a BACKUP with only its own HA address', () => {
    const links = parseIpAddr(fixture('ip-addr-backup.json'));
    expect(links.find((l) => l.ifname === 'ha')?.addrs).toHaveLength(1);
    expect(links.find((l) => l.ifname === 'gw')?.addrs).toEqual([]);
  });

  it('treats empty output as no links', () => {
    expect(parseIpAddr('')).toEqual([]);
    expect(parseNetnsList('\n')).toEqual([]);
    expect(parseNetnsList('[{"name":"a"},{"name":"b","id":3}]')).toEqual(['a', 'b']);
  });
});
