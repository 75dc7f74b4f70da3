import { z } from 'zod';
import {
  absPath,
  dirPath,
  hostPort,
  ifaceCidr,
  namePrefix,
  nodeName,
  profileName,
  routerGlob,
  safeName,
} from './fields.js';
import { absentOr } from './optional.js';

// The agent config, as docs/design.md gives it, plus operational knobs with defaults.

// True when the advert interval is legal for the VRRP version (RFC 3768 / RFC 5798 units).
export function advertIntLegal(version: 2 | 3, seconds: number): boolean {
  if (!Number.isFinite(seconds)) return false;
  if (version === 2) return Number.isInteger(seconds) && seconds >= 1 && seconds <= 255;
  const centis = Math.round(seconds * 100);
  return Math.abs(centis - seconds * 100) < 1e-6 && centis >= 1 && centis <= 4095;
}

const garp = z.strictObject({
  // keepalived's own burst: delay before the second burst, and GARPs per burst.
  masterDelay: z.int().min(0).max(255).default(1),
  masterRepeat: z.int().min(1).max(255).default(5),
  // Periodic GARP while MASTER (0 = off).
  refresh: z.int().min(0).max(3600).default(0),
  // l3ha's follow-up bursts after a MASTER transition, in seconds after it (lesson 10).
  followUps: z.array(z.number().min(0).max(600)).max(10).default([0.5, 2, 10]),
});

// The link-local block the HA segments use unless haNetwork says otherwise (the lab's too).
export const DEFAULT_HA_NETWORK = '169.254.192.0/18';

export const profileSchema = z
  .strictObject({
    version: z.union([z.literal(2), z.literal(3)]),
    advertInt: z.number(),
    garp: garp.default(garp.parse({})),
  })
  .superRefine((p, ctx) => {
    if (!advertIntLegal(p.version, p.advertInt)) {
      ctx.addIssue({
        code: 'custom',
        path: ['advertInt'],
        input: p.advertInt,
        message:
          p.version === 2
            ? 'VRRPv2 advertInt must be whole seconds 1..255'
            : 'VRRPv3 advertInt must be 0.01..40.95 s in steps of 0.01',
        params: { code: 'L3HA_BAD_ADVERT_INT' },
      });
    }
  });

const peer = z.strictObject({
  name: nodeName,
  nodeIndex: z.int().min(1).max(7),
});

const plumbing = z.strictObject({
  mode: z.enum(['managed', 'external']).default('managed'),
  bridgeNamespace: namePrefix.default(''),
  haBridge: safeName.default('br-ha'),
  externalBridge: safeName.default('br-ex'),
  internalBridge: safeName.default('br-int'),
});

const DEFAULT_PROFILES = {
  standard: { version: 2, advertInt: 1 },
  fast: { version: 3, advertInt: 0.1 },
} as const;

export const agentSchema = z.strictObject({
  node: nodeName,
  nodeIndex: z.int().min(1).max(7),
  peers: z.array(peer).max(6).default([]),
  routersDir: dirPath.default('/etc/l3ha/routers.d'),
  supportedRouters: z.array(routerGlob).default(['*']),
  stateDir: dirPath.default('/var/lib/l3ha'),
  runDir: dirPath.default('/run/l3ha'),
  namespacePrefix: namePrefix.default('qrouter-'),
  haNetwork: ifaceCidr.default(DEFAULT_HA_NETWORK),
  vrrp: z.strictObject({ transport: z.enum(['unicast', 'multicast']).default('unicast') }).default({
    transport: 'unicast',
  }),
  plumbing: plumbing.default(plumbing.parse({})),
  profiles: z.record(profileName, profileSchema).default(() => {
    const d: Record<string, z.input<typeof profileSchema>> = DEFAULT_PROFILES;
    return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, profileSchema.parse(v)]));
  }),
  defaultProfile: profileName.default('standard'),
  // Full resync of every router, in seconds (the level-triggered safety net).
  resyncSeconds: z.int().min(1).max(3600).default(30),
  // How long a router's kernel reading (links, addresses, NAT table) is trusted while no
  // event names its namespace. Bounds how late a change no event reports is seen.
  auditSeconds: z.int().min(1).max(86400).default(300),
  // The command keepalived's notify hook runs; absolute paths. Default: this node and this l3ha.
  notifyCommand: absentOr(z.array(absPath).min(1).max(2)),
  keepalivedBinary: absPath.default('/usr/sbin/keepalived'),
  // Split-brain detection: each agent asks its peer for roles. Off unless configured.
  peerLink: absentOr(
    z.strictObject({
      listen: hostPort,
      peer: hostPort,
      // A file with the shared token, mode 0600, owned by root.
      tokenFile: absPath,
      intervalSeconds: z.number().min(0.2).max(60).default(2),
    }),
  ),
  // Prometheus metrics over HTTP; loopback unless you say otherwise.
  metrics: absentOr(z.strictObject({ listen: hostPort.default('127.0.0.1:9712') })),
});

export type AgentConfig = z.output<typeof agentSchema>;
export type Profile = z.output<typeof profileSchema>;
