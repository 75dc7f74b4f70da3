import { describe, expect, it } from 'vitest';
import {
  contains,
  isCidr,
  isIPv4,
  isNetworkCidr,
  offsetInto,
  overlaps,
  parseCidr,
  subnetOf,
} from '../../src/config/addresses.js';

describe('addresses', () => {
  it('accepts only strict dotted quads', () => {
    expect(isIPv4('203.0.113.5')).toBe(true);
    for (const bad of [
      '203.0.113',
      '0x1.2.3.4',
      '010.0.0.1',
      '1.2.3.256',
      ' 1.2.3.4',
      '1.2.3.4 ',
      '::1',
      '',
    ]) {
      expect(isIPv4(bad), bad).toBe(false);
    }
  });

  it('accepts CIDRs with prefixes 0..32 only', () => {
    expect(isCidr('10.0.0.1/24')).toBe(true);
    expect(isCidr('10.0.0.1/33')).toBe(false);
    expect(isCidr('10.0.0.1/')).toBe(false);
    expect(isCidr('10.0.0.1')).toBe(false);
    expect(isCidr('10.0.0.1/2a')).toBe(false);
  });

  it('tells networks from host addresses', () => {
    expect(isNetworkCidr('192.168.50.0/24')).toBe(true);
    expect(isNetworkCidr('192.168.50.1/24')).toBe(false);
    expect(isNetworkCidr('0.0.0.0/0')).toBe(true);
  });

  it('computes containment, overlap, subnets and offsets', () => {
    const c = parseCidr('10.0.0.1/24');
    expect(contains(c, '10.0.0.200')).toBe(true);
    expect(contains(c, '10.0.1.1')).toBe(false);
    expect(subnetOf(c)).toBe('10.0.0.0/24');
    expect(overlaps(parseCidr('10.0.0.0/16'), parseCidr('10.0.5.0/24'))).toBe(true);
    expect(overlaps(parseCidr('10.1.0.0/16'), parseCidr('10.0.5.0/24'))).toBe(false);
    expect(offsetInto(parseCidr('169.254.192.0/18'), 255 * 8 + 7)).toBe('169.254.199.255');
    expect(contains(parseCidr('0.0.0.0/0'), '198.51.100.1')).toBe(true);
  });
});
