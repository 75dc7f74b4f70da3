import { describe, expect, it } from 'vitest';
import { arpTableFulls } from '../../src/bench/proc.js';

describe('arpTableFulls', () => {
  it('sums the table_fulls column of every CPU, in hex, found by its header', () => {
    const text = `entries  allocs   destroys hash_grows lookups  hits     res_failed rcv_probes_mcast rcv_probes_ucast periodic_gc_runs forced_gc_runs unresolved_discards table_fulls
00000002 0000c12f 0000efa8 00000005   0dba1b9e 0005fa73 000144ce   00000000         00000000         0000075a         0007a3b4       0000229e            00078b58
00000002 0000bcd4 00008e59 00000003   0d2d201d 000582ee 00014777   00000000         00000000         00000000         00000000       00000000            00000010
`;
    expect(arpTableFulls(text)).toBe(0x78b58 + 0x10);
  });

  it('reads 0 from a kernel that has no such column', () => {
    expect(arpTableFulls('entries allocs\n00000001 00000002\n')).toBe(0);
  });

  it('reads this machine', () => {
    expect(arpTableFulls()).toBeGreaterThanOrEqual(0);
  });
});
