import { z } from 'zod';
import { ifaceCidr, ipv4, networkCidr, portName, profileName, routerId, safeName } from './fields.js';
import { absentOr } from './optional.js';

// The router spec, as docs/design.md gives it. Unknown keys are rejected.

const gateway = z.strictObject({
  bridge: absentOr(safeName),
  addresses: z.array(ifaceCidr).min(1).max(16),
  defaultRoute: absentOr(ipv4),
});

const internalPort = z.strictObject({
  name: portName,
  bridge: absentOr(safeName),
  addresses: z.array(ifaceCidr).min(1).max(16),
});

const floatingIp = z.strictObject({ floating: ipv4, fixed: ipv4 });

const route = z.strictObject({ to: networkCidr, via: ipv4 });

export const routerSchema = z.strictObject({
  id: routerId,
  vrid: z.int().min(1).max(255),
  // Which HA segment (bridge) carries this router's VRRP; VRIDs are unique per segment.
  haSegment: z.int().min(0).max(7).default(0),
  profile: absentOr(profileName),
  gateway: absentOr(gateway),
  internal: z.array(internalPort).max(32).default([]),
  floatingIps: z.array(floatingIp).max(4096).default([]),
  snat: z.boolean().default(false),
  routes: z.array(route).max(256).default([]),
});

export type RouterSpec = z.output<typeof routerSchema>;
export type InternalPort = z.output<typeof internalPort>;
export type FloatingIp = z.output<typeof floatingIp>;
