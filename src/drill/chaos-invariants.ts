import type { FlowResult } from './ping.js';
import type { TcpResult } from './probes.js';

// The chaos drill's invariants, evaluated on observations taken after each fault healed.
// Pure: the observations are gathered elsewhere (chaos-observe), so every rule is tested
// on plain data.

export type Invariant =
  | 'one-master'
  | 'flows'
  | 'nat'
  | 'no-address-on-backup'
  | 'leaks'
  | 'journal'
  | 'fault';

export interface Violation {
  readonly invariant: Invariant;
  readonly detail: string;
}

// One router on one node, as observed.
export interface NodeRouterView {
  readonly node: string;
  readonly router: string;
  readonly role: string;
  // Router addresses present here (cidr@dev), the advertised VIP not counted.
  readonly routerAddrs: readonly string[];
  // sha256 of the nft text rendered from the router's spec.
  readonly renderedNatHash: string;
  // sha256 of nat.nft on disk, and what nat.applied.json says l3ha applied.
  readonly natFileHash: string | undefined;
  readonly appliedHash: string | undefined;
  readonly appliedListing: string | undefined;
  // `nft list table` in the router's namespace, read now.
  readonly natKernel: string | undefined;
  // The role of the last `transition` line in the journal, and the `state` file.
  readonly journalRole: string | undefined;
  readonly stateFile: string | undefined;
}

export interface Observation {
  readonly views: readonly NodeRouterView[];
  readonly routers: readonly string[];
  // Namespaces with the lab's run prefix that exist, and those the lab should have.
  readonly namespaces: readonly string[];
  readonly expectedNamespaces: readonly string[];
  // Processes naming the lab dir or inside a lab namespace that are not the agents or
  // the keepalived of a pid file ("pid argv").
  readonly strayProcesses: readonly string[];
  // Files under the lab dir that no part of the lab should have left.
  readonly strayFiles: readonly string[];
}

export function evaluateObservation(o: Observation): Violation[] {
  const out: Violation[] = [];
  for (const id of o.routers) {
    const views = o.views.filter((v) => v.router === id);
    const masters = views.filter((v) => v.role === 'MASTER').map((v) => v.node);
    if (masters.length !== 1) {
      const roles = views.map((v) => `${v.node}=${v.role}`).join(' ');
      out.push({ invariant: 'one-master', detail: `${id}: ${masters.length} MASTER (${roles})` });
    }
  }
  for (const v of o.views) {
    const where = `${v.router} on ${v.node}`;
    const nat: string[] = [];
    if (v.natFileHash !== v.renderedNatHash) nat.push('nat.nft differs from the rendered ruleset');
    if (v.appliedHash !== v.renderedNatHash) nat.push('the applied ruleset is not the rendered one');
    if (v.natKernel === undefined) nat.push('no NAT table in the kernel');
    else if (v.natKernel !== v.appliedListing) nat.push('the kernel table differs from the applied listing');
    if (nat.length > 0) out.push({ invariant: 'nat', detail: `${where}: ${nat.join('; ')}` });
    if (v.role !== 'MASTER' && v.routerAddrs.length > 0)
      out.push({
        invariant: 'no-address-on-backup',
        detail: `${where} (${v.role}) holds ${v.routerAddrs.join(', ')}`,
      });
    if (v.journalRole !== v.role || v.stateFile !== v.role)
      out.push({
        invariant: 'journal',
        detail: `${where}: observed ${v.role}, journal says ${v.journalRole ?? 'nothing'}, state file ${v.stateFile ?? 'missing'}`,
      });
  }
  const expected = new Set(o.expectedNamespaces);
  const have = new Set(o.namespaces);
  const extra = o.namespaces.filter((n) => !expected.has(n));
  const missing = o.expectedNamespaces.filter((n) => !have.has(n));
  if (extra.length > 0) out.push({ invariant: 'leaks', detail: `namespaces left: ${extra.join(', ')}` });
  if (missing.length > 0)
    out.push({ invariant: 'leaks', detail: `namespaces missing: ${missing.join(', ')}` });
  if (o.strayProcesses.length > 0)
    out.push({ invariant: 'leaks', detail: `processes left: ${o.strayProcesses.join('; ')}` });
  if (o.strayFiles.length > 0)
    out.push({ invariant: 'leaks', detail: `files left: ${o.strayFiles.join(', ')}` });
  return out;
}

export interface FlowBounds {
  readonly maxDowntimeMs: number;
  // Faults that must lose nothing (an agent crash): a lost probe is a violation.
  readonly noLoss: boolean;
  readonly tcpSurvives: boolean;
  // A flow silent for this long when probing stopped has not answered again.
  readonly silentAtEndMs: number;
}

// Every flow answers again, within its bound; TCP streams survive.
export function evaluateFlows(
  flows: Record<string, Partial<Record<string, FlowResult>>>,
  tcp: Record<string, TcpResult>,
  stoppedAt: number,
  b: FlowBounds,
): Violation[] {
  const out: Violation[] = [];
  for (const [id, byFlow] of Object.entries(flows)) {
    for (const [name, f] of Object.entries(byFlow)) {
      if (!f) continue;
      const where = `${id}/${name}`;
      if (f.lastAnswerAt === undefined || f.lastAnswerAt < stoppedAt - b.silentAtEndMs)
        out.push({ invariant: 'flows', detail: `${where} did not answer again` });
      else if (f.downtimeMs > b.maxDowntimeMs)
        out.push({
          invariant: 'flows',
          detail: `${where} down ${Math.round(f.downtimeMs)} ms > ${b.maxDowntimeMs} ms`,
        });
      if (b.noLoss && f.lost > 0) out.push({ invariant: 'flows', detail: `${where} lost ${f.lost} probes` });
    }
  }
  if (b.tcpSurvives) {
    for (const [id, t] of Object.entries(tcp)) {
      if (!t.connected || !t.survived)
        out.push({ invariant: 'flows', detail: `${id}/tcp broken: ${t.error || 'closed'}` });
    }
  }
  return out;
}

// The worst downtime of any flow in one fault's results.
export function worstDowntime(flows: Record<string, Partial<Record<string, FlowResult>>>): number {
  return Math.max(
    0,
    ...Object.values(flows).flatMap((byFlow) => Object.values(byFlow).map((f) => f?.downtimeMs ?? 0)),
  );
}
