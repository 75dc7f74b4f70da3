import { type CommandRunner, inNamespace } from '../system/runner.js';
import { EXT_FLOAT_SIDE, EXT_GATEWAY, type LabPlan, type LabRouter } from './plan.js';

// Builds the lab fabric: a namespace with the bridges, the external namespace and the
// VM namespaces. Nothing is ever attached to a host interface.

const QUIET = ['net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'];

async function addNs(runner: CommandRunner, ns: string): Promise<void> {
  await runner.run('ip', ['netns', 'add', ns]);
  await inNamespace(runner, ns, 'sysctl', ['-q', '-w', ...QUIET]);
  await runner.run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
}

// A host namespace on a bridge: veth `eth0` inside, `peer` on the bridge.
async function attachHost(
  runner: CommandRunner,
  plan: LabPlan,
  ns: string,
  peer: string,
  bridge: string,
  addrs: string[],
  via?: string,
) {
  await runner.run('ip', [
    '-n',
    plan.fabric,
    'link',
    'add',
    peer,
    'type',
    'veth',
    'peer',
    'name',
    'eth0',
    'netns',
    ns,
  ]);
  await runner.run('ip', ['-n', plan.fabric, 'link', 'set', peer, 'master', bridge, 'up']);
  const batch = [
    ...addrs.map((a) => `addr add ${a} dev eth0`),
    'link set eth0 up',
    ...(via ? [`route add default via ${via}`] : []),
  ];
  await runner.run('ip', ['-n', ns, '-batch', '-'], { input: `${batch.join('\n')}\n` });
}

export async function buildFabric(runner: CommandRunner, plan: LabPlan): Promise<void> {
  await buildBridges(runner, plan);
  for (const r of plan.routers) await addVms(runner, plan, r);
}

// The fabric namespace with its bridges and the external namespace, without VMs.
export async function buildBridges(
  runner: CommandRunner,
  plan: LabPlan,
  extra: readonly string[] = [],
): Promise<void> {
  await addNs(runner, plan.fabric);
  const bridges = ['br-ha', 'br-ex', 'br-int', ...extra];
  // No STP and no forwarding delay: ports forward the moment they come up.
  const batch = bridges.flatMap((b) => [
    `link add ${b} type bridge forward_delay 0 stp_state 0`,
    `link set ${b} up`,
  ]);
  await runner.run('ip', ['-n', plan.fabric, '-batch', '-'], { input: `${batch.join('\n')}\n` });
  await addNs(runner, plan.ext);
  await attachHost(runner, plan, plan.ext, 'x-ext', 'br-ex', [`${EXT_GATEWAY}/24`, `${EXT_FLOAT_SIDE}/24`]);
}

export async function addVms(runner: CommandRunner, plan: LabPlan, r: LabRouter): Promise<void> {
  await addNs(runner, r.vmFloating);
  await attachHost(runner, plan, r.vmFloating, `v${r.k}f`, 'br-int', [`${r.fixed}/24`], r.internalGw);
  await addNs(runner, r.vmSnat);
  await attachHost(runner, plan, r.vmSnat, `v${r.k}s`, 'br-int', [`${r.snatVm}/24`], r.internalGw);
}
