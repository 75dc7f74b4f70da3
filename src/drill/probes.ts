import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXT_GATEWAY, type LabPlan } from '../lab/plan.js';
import { type Background, startInNamespace, startToFile } from '../system/background.js';
import { type FlowResult, parseFping, parsePing } from './ping.js';

// Traffic probes for a drill, at 100 Hz per flow, for every router of the lab:
//   inbound      external -> floating IP (ICMP echo through DNAT)
//   outFloating  the floating-IP VM -> external (through its floating SNAT)
//   outSnat      the other VM -> external (through the gateway SNAT)
//   tcp          one TCP stream external -> floating IP -> VM (optional at scale)

export const TCP_PORT = 7100;
const TCP_TOOL = fileURLToPath(new URL('../../dist/drill/tcp-stream.js', import.meta.url));

export type FlowName = 'inbound' | 'outFloating' | 'outSnat';
export const FLOWS: readonly FlowName[] = ['inbound', 'outFloating', 'outSnat'];

export interface TcpResult {
  readonly connected: boolean;
  readonly survived: boolean;
  readonly maxStallMs: number;
  readonly sent: number;
  readonly echoed: number;
  readonly error: string;
}

export interface ProbeResults {
  readonly flows: Record<string, Record<FlowName, FlowResult>>;
  readonly tcp: Record<string, TcpResult>;
}

// The probes stand in for clients on machines of their own: the node under test must not
// starve or block them (lesson 24). They run at a real-time priority (fping stamps each
// reply when it reads it, so a prober waiting for CPU reports gaps the network did not
// have) and write to files, never to a pipe that a starved reader lets fill.
const PROBE_RT = ['-f', '50'];
// Each probe writes to its own file in the lab's probes/ dir (see startToFile).
export function probeOutput(plan: LabPlan, name: string): string {
  const dir = join(plan.dir, 'probes');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return join(dir, `${name}.out`);
}

const probe = (plan: LabPlan, name: string, ns: string, file: string, args: readonly string[]) =>
  startToFile(ns, 'chrt', [...PROBE_RT, file, ...args], probeOutput(plan, name));

const ping = (plan: LabPlan, name: string, ns: string, host: string) =>
  probe(plan, name, ns, 'ping', ['-n', '-D', '-O', '-i', '0.01', '-W', '1', host]);

export async function startProbes(
  plan: LabPlan,
  opts: { tcp: boolean; flows?: readonly FlowName[]; fping?: boolean; outboundRouters?: number },
): Promise<{ stop(faultAt: number, endAt?: number): Promise<ProbeResults> }> {
  const want = new Set(opts.flows ?? FLOWS);
  // At scale one fping process probes every floating IP, so the probes themselves do not
  // compete with the failover for the CPU (a ping process per flow did, at 100 routers).
  const fping =
    opts.fping && want.has('inbound')
      ? probe(plan, 'fping', plan.ext, 'fping', [
          '-l',
          '-D',
          '-p',
          '10',
          '-i',
          '0.05',
          '-t',
          '1000',
          ...plan.routers.map((r) => r.floating),
        ])
      : undefined;
  if (fping) want.delete('inbound');
  const pings: { id: string; flow: FlowName; bg: Background }[] = [];
  const servers: Background[] = [];
  let stream: Background | undefined;
  plan.routers.forEach((r, i) => {
    if (i >= (opts.outboundRouters ?? Number.POSITIVE_INFINITY)) {
      if (want.has('inbound'))
        pings.push({ id: r.id, flow: 'inbound', bg: ping(plan, `${r.id}-in`, plan.ext, r.floating) });
      return;
    }
    if (want.has('inbound'))
      pings.push({ id: r.id, flow: 'inbound', bg: ping(plan, `${r.id}-in`, plan.ext, r.floating) });
    if (want.has('outFloating'))
      pings.push({ id: r.id, flow: 'outFloating', bg: ping(plan, `${r.id}-of`, r.vmFloating, EXT_GATEWAY) });
    if (want.has('outSnat'))
      pings.push({ id: r.id, flow: 'outSnat', bg: ping(plan, `${r.id}-os`, r.vmSnat, EXT_GATEWAY) });
  });
  if (opts.tcp) {
    for (const r of plan.routers)
      servers.push(startInNamespace(r.vmFloating, process.execPath, [TCP_TOOL, 'serve', String(TCP_PORT)]));
    await Promise.all(servers.map((s) => s.ready()));
    const targets = plan.routers.map((r) => `${r.floating}:${TCP_PORT}`).join(',');
    stream = startInNamespace(plan.ext, process.execPath, [TCP_TOOL, 'stream', targets, '10']);
    await stream.ready();
  }
  return {
    async stop(faultAt: number, endAt?: number) {
      const flows: ProbeResults['flows'] = {};
      const outputs = await Promise.all(pings.map((p) => p.bg.stop('SIGINT')));
      if (fping) {
        const byTarget = parseFping(
          await fping.stop('SIGINT'),
          fping.stderr(),
          plan.routers.map((r) => r.floating),
          faultAt,
          endAt,
        );
        for (const r of plan.routers) {
          flows[r.id] ??= {} as Record<FlowName, FlowResult>;
          (flows[r.id] as Record<FlowName, FlowResult>).inbound = byTarget[r.floating] as FlowResult;
        }
      }
      pings.forEach((p, i) => {
        flows[p.id] ??= {} as Record<FlowName, FlowResult>;
        (flows[p.id] as Record<FlowName, FlowResult>)[p.flow] = parsePing(outputs[i] ?? '', faultAt, endAt);
      });
      const tcp: Record<string, TcpResult> = {};
      if (stream) {
        const lines = (await stream.stop('SIGTERM')).split('\n').filter((l) => l.startsWith('{'));
        plan.routers.forEach((r, i) => {
          const line = lines[i];
          tcp[r.id] = line
            ? (JSON.parse(line) as TcpResult)
            : { connected: false, survived: false, maxStallMs: 0, sent: 0, echoed: 0, error: 'no report' };
        });
      }
      await Promise.all(servers.map((s) => s.stop('SIGKILL')));
      return { flows, tcp };
    },
  };
}
