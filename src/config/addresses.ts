import ipaddr from 'ipaddr.js';

// IPv4 helpers built on ipaddr.js. Every input has already passed isIPv4/isCidr.

export interface Cidr {
  readonly address: string;
  readonly prefix: number;
}

// True only for a strict dotted quad: no octal, hex, short forms or whitespace.
export function isIPv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

// True for `a.b.c.d/n` with a strict dotted quad and 0 <= n <= 32.
export function isCidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return false;
  const addr = text.slice(0, slash);
  const len = text.slice(slash + 1);
  if (!isIPv4(addr) || !/^\d{1,2}$/.test(len)) return false;
  return Number(len) <= 32;
}

// True for a CIDR whose host bits are all zero (a network, as routes need).
export function isNetworkCidr(text: string): boolean {
  if (!isCidr(text)) return false;
  const c = parseCidr(text);
  return networkOf(c) === c.address;
}

export function parseCidr(text: string): Cidr {
  const [address, prefix] = text.split('/') as [string, string];
  return { address, prefix: Number(prefix) };
}

export function toInt(address: string): number {
  return ipaddr.IPv4.parse(address).octets.reduce((acc, octet) => acc * 256 + octet, 0);
}

export function fromInt(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

// The network address of a CIDR.
export function networkOf(c: Cidr): string {
  return fromInt((toInt(c.address) & mask(c.prefix)) >>> 0);
}

// The network of an interface address, written as a CIDR (10.0.0.1/24 -> 10.0.0.0/24).
export function subnetOf(c: Cidr): string {
  return `${networkOf(c)}/${c.prefix}`;
}

// True when `address` lies inside the network of `c`.
export function contains(c: Cidr, address: string): boolean {
  return (toInt(address) & mask(c.prefix)) >>> 0 === (toInt(c.address) & mask(c.prefix)) >>> 0;
}

// True when two networks share any address.
export function overlaps(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return (toInt(a.address) & mask(p)) >>> 0 === (toInt(b.address) & mask(p)) >>> 0;
}

// The address `offset` places after the network address of `c`.
export function offsetInto(c: Cidr, offset: number): string {
  return fromInt((toInt(networkOf(c)) + offset) >>> 0);
}

// How many addresses a prefix holds.
export function sizeOf(prefix: number): number {
  return 2 ** (32 - prefix);
}
