import { join } from 'node:path';

// The two-node lab, as data: names, addresses and the config files of both nodes. Pure.
//
//   ext ns (203.0.113.254, 198.51.100.254)         VM ns per router: vm<k>f (10.k.0.5, floating
//        |                                           198.51.100.k) and vm<k>s (10.k.0.6, SNAT only)
//   [br-ex]  [br-ha]  [br-int]   <- all in the fabric namespace, bridged to nothing else
//     |  \     |  \     |  \
//   node a's and node b's router namespaces <run>-a-r<k>, <run>-b-r<k>

export const MAX_LAB_ROUTERS = 250;
export const EXT_GATEWAY = '203.0.113.254';
export const EXT_FLOAT_SIDE = '198.51.100.254';

export interface LabRouter {
  readonly k: number;
  readonly id: string;
  readonly gateway: string;
  readonly floating: string;
  readonly fixed: string;
  readonly snatVm: string;
  readonly internalGw: string;
  readonly vmFloating: string;
  readonly vmSnat: string;
}

export interface LabNode {
  readonly name: 'a' | 'b';
  readonly index: 1 | 2;
  readonly dir: string;
  readonly config: string;
  readonly nsPrefix: string;
  readonly pidFile: string;
  readonly logFile: string;
  // Loopback listeners: the peer link (split-brain detection) and Prometheus metrics.
  readonly peerListen: string;
  readonly metricsListen: string;
}

export interface LabPlan {
  readonly runId: string;
  readonly dir: string;
  readonly profile: string;
  readonly transport: 'unicast' | 'multicast';
  readonly fabric: string;
  readonly ext: string;
  readonly routers: readonly LabRouter[];
  readonly nodes: readonly [LabNode, LabNode];
  readonly tokenFile: string;
  readonly basePort: number;
}

export function labPlan(
  runId: string,
  dir: string,
  routers: number,
  profile: string,
  basePort: number,
  transport: 'unicast' | 'multicast' = 'unicast',
): LabPlan {
  const node = (name: 'a' | 'b', index: 1 | 2): LabNode => ({
    peerListen: `127.0.0.1:${basePort + index - 1}`,
    metricsListen: `127.0.0.1:${basePort + 1 + index}`,
    name,
    index,
    dir: join(dir, name),
    config: join(dir, name, 'agent.yaml'),
    nsPrefix: `${runId}-${name}-`,
    pidFile: join(dir, name, 'agent.pid'),
    logFile: join(dir, name, 'agent.log'),
  });
  return {
    runId,
    dir,
    profile,
    transport,
    fabric: `${runId}-fab`,
    ext: `${runId}-ext`,
    routers: Array.from({ length: routers }, (_, i) => {
      const k = i + 1;
      return {
        k,
        id: `r${k}`,
        gateway: `203.0.113.${k}`,
        floating: `198.51.100.${k}`,
        fixed: `10.${k}.0.5`,
        snatVm: `10.${k}.0.6`,
        internalGw: `10.${k}.0.1`,
        vmFloating: `${runId}-vm${k}f`,
        vmSnat: `${runId}-vm${k}s`,
      };
    }),
    nodes: [node('a', 1), node('b', 2)],
    tokenFile: join(dir, 'peer.token'),
    basePort,
  };
}

export function agentConfigText(plan: LabPlan, n: LabNode): string {
  const peer = plan.nodes.find((x) => x !== n) as LabNode;
  return `# l3ha lab node ${n.name} (run ${plan.runId})
node: ${n.name}
nodeIndex: ${n.index}
peers: [{ name: ${peer.name}, nodeIndex: ${peer.index} }]
routersDir: ${join(n.dir, 'routers.d')}
stateDir: ${join(n.dir, 'state')}
runDir: ${join(n.dir, 'run')}
namespacePrefix: ${n.nsPrefix}
plumbing: { mode: managed, bridgeNamespace: ${plan.fabric}, haBridge: br-ha, externalBridge: br-ex, internalBridge: br-int }
vrrp: { transport: ${plan.transport} }
profiles:
  standard: { version: 2, advertInt: 1 }
  fast: { version: 3, advertInt: 0.1 }
  # Neutron L3 HA's defaults (VRRPv2, 2 s adverts, second GARP burst after 60 s): the baseline.
  neutron: { version: 2, advertInt: 2, garp: { masterDelay: 60, masterRepeat: 5 } }
defaultProfile: ${plan.profile}
resyncSeconds: 5
auditSeconds: 60
peerLink: { listen: "${n.peerListen}", peer: "${peer.peerListen}", tokenFile: ${plan.tokenFile}, intervalSeconds: 1 }
metrics: { listen: "${n.metricsListen}" }
`;
}

export function routerSpecText(r: LabRouter): string {
  return `id: ${r.id}
vrid: ${r.k}
gateway: { addresses: [${r.gateway}/24], defaultRoute: ${EXT_GATEWAY} }
internal: [{ name: n1, addresses: [${r.internalGw}/24] }]
floatingIps: [{ floating: ${r.floating}, fixed: ${r.fixed} }]
snat: true
`;
}
