import { closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { EXT_GATEWAY, type LabPlan } from '../lab/plan.js';
import { type Background, startInNamespace, startToFile } from '../system/background.js';
import { cmdline, favourAutogroup } from '../system/process.js';
import { type FlowResult, fpingReplies, parseFping, parsePing, pingReplies } from './ping.js';

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
  // The longest stall's span (epoch ms): the echo before it and the one that ended it (or
  // the stream's end). Absent from older reports.
  readonly stallFrom?: number;
  readonly stallTo?: number;
}

export interface ProbeResults {
  readonly flows: Record<string, Record<FlowName, FlowResult>>;
  readonly tcp: Record<string, TcpResult>;
  // Every reply's time (epoch ms) per router and flow, for the drill's timeline.
  readonly replies?: Record<string, Partial<Record<FlowName, readonly number[]>>>;
  // The one fping, when used: whether its newest reply was fresh before it was stopped,
  // how it ended, and its last stderr lines that are not per-target summaries.
  readonly fping?: {
    readonly caughtUp: boolean | undefined;
    readonly ended: string;
    readonly stderrTail: string[];
  };
}

// The probes stand in for clients on machines of their own: the node under test must not
// starve or block them (lesson 24). Each runs in a session of its own (setsid) whose
// autogroup is raised to nice -20, and at nice -20 where autogroup is off; and each writes
// to a file, never to a pipe that a starved reader lets fill.
const PROBE_PREFIX = ['nice', '-n', '-20'];
// Floating IPs per fping process: 60 targets at 100 Hz use 60,000 of fping's 65,536
// sequence numbers in the 10 s it holds each.
export const FPING_GROUP = 60;

function chunk<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
// Each probe writes to its own file in the lab's probes/ dir (see startToFile).
export function probeOutput(plan: LabPlan, name: string): string {
  const dir = join(plan.dir, 'probes');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return join(dir, `${name}.out`);
}

function probe(plan: LabPlan, name: string, ns: string, file: string, args: readonly string[]): Background {
  const bg = startToFile(ns, 'setsid', [...PROBE_PREFIX, file, ...args], probeOutput(plan, name));
  void favourOnceRunning(bg.pid, file);
  return bg;
}

// The autogroup is the probe's own only once setsid has run: wait for the probe's exec.
async function favourOnceRunning(pid: number | undefined, file: string): Promise<boolean> {
  if (pid === undefined) return false;
  for (let i = 0; i < 400; i++) {
    const argv = cmdline(pid);
    if (argv === undefined) return false;
    if (argv[0] === file) return favourAutogroup(pid);
    await sleep(5);
  }
  return false;
}

const ping = (plan: LabPlan, name: string, ns: string, host: string) =>
  probe(plan, name, ns, 'ping', ['-n', '-D', '-O', '-i', '0.01', '-W', '1', host]);

export async function startProbes(
  plan: LabPlan,
  opts: { tcp: boolean; flows?: readonly FlowName[]; fping?: boolean; outboundRouters?: number },
): Promise<{
  caughtUp(timeoutMs: number): Promise<boolean>;
  stop(faultAt: number, endAt?: number): Promise<ProbeResults>;
}> {
  const want = new Set(opts.flows ?? FLOWS);
  // At scale one fping process probes every floating IP, so the probes themselves do not
  // compete with the failover for the CPU (a ping process per flow did, at 100 routers).
  // One fping per FPING_GROUP floating IPs: an fping holds a sequence number for 10 s
  // whether or not the reply came, from one space of 65,536, so 100 targets at 100 Hz ran
  // out after about 7 s and fping quit (exit 4, lesson 32).
  const groups =
    opts.fping && want.has('inbound')
      ? chunk(
          plan.routers.map((r) => r.floating),
          FPING_GROUP,
        ).map((targets, i) => ({
          targets,
          out: probeOutput(plan, `fping-${i}`),
          bg: probe(plan, `fping-${i}`, plan.ext, 'fping', [
            '-l',
            '-D',
            '-p',
            '10',
            '-i',
            '0.05',
            '-t',
            '1000',
            ...targets,
          ]),
        }))
      : [];
  const fping = groups.length > 0;
  if (fping) want.delete('inbound');
  const pings: { id: string; flow: FlowName; bg: Background }[] = [];
  const servers: Background[] = [];
  let stream: Background | undefined;
  plan.routers.forEach((r, i) => {
    const outbound = i < (opts.outboundRouters ?? Number.POSITIVE_INFINITY);
    if (want.has('inbound'))
      pings.push({ id: r.id, flow: 'inbound', bg: ping(plan, `${r.id}-in`, plan.ext, r.floating) });
    if (outbound && want.has('outFloating'))
      pings.push({ id: r.id, flow: 'outFloating', bg: ping(plan, `${r.id}-of`, r.vmFloating, EXT_GATEWAY) });
    if (outbound && want.has('outSnat'))
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
  let fpingCaughtUp: boolean | undefined;
  return {
    // fping stamps a reply when it reads it; after a storm it can be seconds behind. This
    // waits until its newest line is fresh, so stopping it loses no reply still queued.
    async caughtUp(timeoutMs: number) {
      if (!fping) return true;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const fresh = groups.every((g) => {
          const last = lastStamp(g.out);
          return last !== undefined && Date.now() - last < 200;
        });
        if (fresh || Date.now() >= deadline) {
          fpingCaughtUp = fresh;
          return fresh;
        }
        await sleep(100);
      }
    },
    async stop(faultAt: number, endAt?: number) {
      const flows: ProbeResults['flows'] = {};
      const replies: NonNullable<ProbeResults['replies']> = {};
      const outputs = await Promise.all(pings.map((p) => p.bg.stop('SIGINT')));
      if (fping) {
        // Stopped together, so every group covers the same span.
        const outs = await Promise.all(groups.map((g) => g.bg.stop('SIGINT')));
        const byTarget: Record<string, FlowResult> = {};
        const times = new Map<string, number[]>();
        groups.forEach((g, i) => {
          Object.assign(byTarget, parseFping(outs[i] ?? '', g.bg.stderr(), g.targets, faultAt, endAt));
          for (const [t, xs] of fpingReplies(outs[i] ?? '', g.targets)) times.set(t, xs);
        });
        for (const r of plan.routers) {
          flows[r.id] ??= {} as Record<FlowName, FlowResult>;
          (flows[r.id] as Record<FlowName, FlowResult>).inbound = byTarget[r.floating] as FlowResult;
          replies[r.id] = { ...replies[r.id], inbound: times.get(r.floating) ?? [] };
        }
      }
      pings.forEach((p, i) => {
        flows[p.id] ??= {} as Record<FlowName, FlowResult>;
        (flows[p.id] as Record<FlowName, FlowResult>)[p.flow] = parsePing(outputs[i] ?? '', faultAt, endAt);
        replies[p.id] = { ...replies[p.id], [p.flow]: pingReplies(outputs[i] ?? '') };
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
      if (!fping) return { flows, tcp, replies };
      const stderrTail = groups
        .flatMap((g) => g.bg.stderr().split('\n'))
        .filter((l) => l.trim() !== '' && !/ : xmt\/rcv\/%loss/.test(l))
        .slice(-3);
      const ended = [...new Set(groups.map((g) => g.bg.ended?.() ?? 'unknown'))].join(', ');
      return {
        flows,
        tcp,
        replies,
        fping: { caughtUp: fpingCaughtUp, ended, stderrTail },
      };
    },
  };
}

// The epoch ms of the last `[seconds.micros]` line of a probe's output file.
export function lastStamp(path: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const len = Math.min(size, 4096);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const stamps = [...buf.toString('utf8').matchAll(/^\[(\d+\.\d+)\]/gm)];
    const m = stamps.at(-1);
    return m ? Number(m[1]) * 1000 : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
