import type { Violation } from './chaos-invariants.js';
import type { ChaosFault, ChaosKind } from './chaos-schedule.js';
import { table } from './report.js';

// The chaos drill's report: one record per fault, aggregated by kind. Pure.

export interface FaultRecord {
  readonly fault: ChaosFault;
  readonly routerId: string;
  // The node the fault hit (the router's MASTER when it started).
  readonly victim: string;
  readonly startedAt: string;
  // From the fault to the end of its healing and checks.
  readonly durationMs: number;
  // The longest any flow was down, and the probes lost over all flows.
  readonly downtimeMs: number;
  readonly lost: number;
  readonly violations: readonly Violation[];
  // What the fault saw on the way (a takeover that came late, a kill before the replay).
  readonly notes: readonly string[];
}

export interface KindSummary {
  readonly kind: ChaosKind;
  readonly count: number;
  readonly worstDowntimeMs: number;
  readonly violations: number;
}

export interface ChaosReport {
  readonly seed: number;
  readonly profile: string;
  readonly routers: number;
  readonly durationMs: number;
  readonly ranMs: number;
  readonly startedAt: string;
  readonly faults: readonly FaultRecord[];
  readonly byKind: readonly KindSummary[];
  readonly violations: readonly (Violation & { readonly fault: number; readonly kind: ChaosKind })[];
  // Set when the run stopped early (interrupted, or the lab failed).
  readonly aborted?: string;
  readonly ok: boolean;
}

export interface ReportHead {
  readonly seed: number;
  readonly profile: string;
  readonly routers: number;
  readonly durationMs: number;
  readonly ranMs: number;
  readonly startedAt: string;
  readonly aborted?: string;
}

export function chaosReport(head: ReportHead, faults: readonly FaultRecord[]): ChaosReport {
  const kinds: ChaosKind[] = [];
  for (const f of faults) if (!kinds.includes(f.fault.kind)) kinds.push(f.fault.kind);
  const byKind = kinds.map((kind) => {
    const of = faults.filter((f) => f.fault.kind === kind);
    return {
      kind,
      count: of.length,
      worstDowntimeMs: Math.max(0, ...of.map((f) => f.downtimeMs)),
      violations: of.reduce((s, f) => s + f.violations.length, 0),
    };
  });
  const violations = faults.flatMap((f) =>
    f.violations.map((v) => ({ ...v, fault: f.fault.n, kind: f.fault.kind })),
  );
  return {
    ...head,
    faults,
    byKind,
    violations,
    ok: violations.length === 0 && head.aborted === undefined,
  };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function formatChaosReport(r: ChaosReport): string {
  const out: string[] = [];
  out.push(
    `drill chaos: seed ${r.seed}, profile ${r.profile}, ${r.routers} router(s), ${r.faults.length} faults in ${s(r.ranMs)} (asked ${s(r.durationMs)}), from ${r.startedAt}`,
  );
  out.push('');
  const rows = [['#', 'KIND', 'ROUTER', 'NODE', 'TOOK', 'DOWNTIME', 'LOST', 'VIOLATIONS']];
  for (const f of r.faults) {
    const variant = f.fault.edit ? `:${f.fault.edit}` : '';
    rows.push([
      String(f.fault.n),
      `${f.fault.kind}${variant}`,
      f.routerId,
      f.victim,
      s(f.durationMs),
      `${Math.round(f.downtimeMs)} ms`,
      String(f.lost),
      String(f.violations.length),
    ]);
  }
  out.push(table(rows));
  out.push('');
  const kinds = [['KIND', 'FAULTS', 'WORST DOWNTIME', 'VIOLATIONS']];
  for (const k of r.byKind)
    kinds.push([k.kind, String(k.count), `${Math.round(k.worstDowntimeMs)} ms`, String(k.violations)]);
  out.push(table(kinds));
  out.push('');
  for (const f of r.faults) for (const n of f.notes) out.push(`  note  #${f.fault.n} ${f.fault.kind}: ${n}`);
  for (const v of r.violations) out.push(`  VIOLATION  #${v.fault} ${v.kind}: ${v.invariant}: ${v.detail}`);
  if (r.aborted) out.push(`  ABORTED  ${r.aborted}`);
  out.push(`invariant violations: ${r.violations.length}`);
  out.push(`result: ${r.ok ? 'PASS' : 'FAIL'} (seed ${r.seed})`);
  return `${out.join('\n')}\n`;
}
