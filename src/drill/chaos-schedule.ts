import { below, mulberry32, pick } from './prng.js';

// The chaos drill's fault schedule, drawn from a seed. Pure: the same seed gives the same
// sequence of faults, router by router, variant by variant. How many of them run depends
// on how long each takes on the machine; the prefix that runs is always the same.

export const CHAOS_KINDS = [
  'node-loss',
  'keepalived-crash',
  'agent-crash',
  'graceful',
  'ha-partition',
  'flap',
  'keepalived-sigstop',
  'agent-mid-replay',
  'file-edit',
  'cpu-hog',
  'ha-netem',
  'peer-link-down',
] as const;
export type ChaosKind = (typeof CHAOS_KINDS)[number];

// A router file edited during a failover: a harmless edit (a comment, the keys reordered),
// or a bad one that must be refused with the router untouched.
export const FILE_EDITS = ['comment', 'reorder', 'bad'] as const;
export type FileEdit = (typeof FILE_EDITS)[number];

export interface ChaosFault {
  // 1-based position in the schedule.
  readonly n: number;
  readonly kind: ChaosKind;
  // Index into the lab's routers: the fault hits this router's MASTER node.
  readonly router: number;
  // file-edit only.
  readonly edit?: FileEdit;
  // agent-mid-replay only: ms after the new MASTER's hook before its agent is killed.
  readonly killDelayMs?: number;
}

// The first `count` faults of the schedule for `seed` on a lab of `routers` routers.
export function chaosSchedule(
  seed: number,
  routers: number,
  count: number,
  kinds: readonly ChaosKind[] = CHAOS_KINDS,
): ChaosFault[] {
  const rng = mulberry32(seed);
  const out: ChaosFault[] = [];
  for (let i = 0; i < count; i++) {
    // Every fault draws the same four numbers, used or not, so one kind's parameters never
    // shift the draws of the faults after it.
    const kind = pick(rng, kinds);
    const router = below(rng, routers);
    const edit = pick(rng, FILE_EDITS);
    const killDelayMs = below(rng, 40);
    out.push({
      n: i + 1,
      kind,
      router,
      ...(kind === 'file-edit' ? { edit } : {}),
      ...(kind === 'agent-mid-replay' ? { killDelayMs } : {}),
    });
  }
  return out;
}

// The kinds a --kinds option names, or every kind; undefined when one name is unknown.
export function parseKinds(list: string | undefined): ChaosKind[] | undefined {
  if (list === undefined || list.trim() === '') return [...CHAOS_KINDS];
  const names = list.split(',').map((s) => s.trim());
  const known = new Set<string>(CHAOS_KINDS);
  return names.every((n) => known.has(n)) ? (names as ChaosKind[]) : undefined;
}

export function describeFault(f: ChaosFault, routerId: string): string {
  const extra = f.edit
    ? ` (${f.edit} edit)`
    : f.killDelayMs !== undefined
      ? ` (kill +${f.killDelayMs} ms)`
      : '';
  return `#${f.n} ${f.kind} on ${routerId}'s MASTER${extra}`;
}
