import { z } from 'zod';
import { isCidr, isIPv4, isNetworkCidr } from './addresses.js';

// Reusable zod field types. A refinement carries its catalogue code in params.code.

export const ROUTER_ID = /^[a-z0-9][a-z0-9-]{0,10}$/;
export const NODE_NAME = /^[a-z0-9-]{1,16}$/;
export const PORT_NAME = /^[a-z0-9][a-z0-9-]{0,11}$/;
export const PROFILE_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
// Namespace and bridge names end up in argv and file names; keep them plain.
export const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const SAFE_PATH = /^\/[A-Za-z0-9_./-]*$/;
const SAFE_REL_PATH = /^[A-Za-z0-9_./-]+$/;

const withCode = (code: string, message: string) => ({ message, params: { code } });

// A name that must match a pattern; the message shows the pattern as operators read it.
const named = (re: RegExp) =>
  z.string().refine((s) => re.test(s), withCode('L3HA_BAD_ID', `must match ${re.source.slice(1, -1)}`));

export const routerId = named(ROUTER_ID);
export const nodeName = named(NODE_NAME);
export const portName = named(PORT_NAME);
export const profileName = named(PROFILE_NAME);
export const safeName = named(SAFE_NAME);
// A name prefix may be empty.
export const namePrefix = z
  .string()
  .refine(
    (s) => s === '' || SAFE_NAME.test(s),
    withCode('L3HA_BAD_ID', 'must match [A-Za-z0-9][A-Za-z0-9_.-]{0,31}'),
  );

export const absPath = z
  .string()
  .refine(
    (s) => SAFE_PATH.test(s) && !s.split('/').includes('..') && s.length <= 200,
    withCode('L3HA_INVALID_VALUE', 'must be an absolute path of [A-Za-z0-9_./-] without ..'),
  );

export const ipv4 = z.string().refine(isIPv4, withCode('L3HA_BAD_ADDRESS', 'is not an IPv4 address'));
// An interface address with its prefix: 10.0.0.1/24.
export const ifaceCidr = z
  .string()
  .refine(isCidr, withCode('L3HA_BAD_ADDRESS', 'is not an IPv4 address/prefix (CIDR)'));
// A network with no host bits: 192.168.50.0/24.
export const networkCidr = z
  .string()
  .refine(isNetworkCidr, withCode('L3HA_BAD_ADDRESS', 'is not an IPv4 network CIDR with host bits zero'));

// A directory path; a relative one is resolved against the config file's directory.
export const dirPath = z
  .string()
  .refine(
    (s) => SAFE_REL_PATH.test(s) && !s.split('/').includes('..') && s.length <= 200,
    withCode('L3HA_INVALID_VALUE', 'must be a path of [A-Za-z0-9_./-] without ..'),
  );

// A glob over router ids: the id alphabet plus * and ?.
export const routerGlob = z
  .string()
  .refine(
    (s) => /^[a-z0-9*?-]{1,32}$/.test(s),
    withCode('L3HA_INVALID_VALUE', 'must be a glob of [a-z0-9-*?]'),
  );

// host:port with a dotted-quad host, for the metrics and peer-link listeners.
export const hostPort = z.string().refine(
  (s) => {
    const m = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(s);
    return !!m && isIPv4(m[1] as string) && Number(m[2]) >= 1 && Number(m[2]) <= 65535;
  },
  withCode('L3HA_BAD_ADDRESS', 'is not IPv4-address:port'),
);
