import { INSTANCE_PATTERN } from '../config/instance.js';

// Strict validation of the keepalived notify hook's argv. The hook runs as root, so
// nothing here is trusted: each argument must match an exact pattern. Pure.
//
//   notify --state-dir DIR --run-dir DIR INSTANCE l3ha_<id> <STATE> <priority>

export const HOOK_STATES = ['MASTER', 'BACKUP', 'FAULT', 'STOP', 'DELETED'] as const;
export type HookState = (typeof HOOK_STATES)[number];

export interface NotifyArgs {
  readonly stateDir: string;
  readonly runDir: string;
  readonly router: string;
  readonly state: HookState;
  readonly priority: number;
}

export type NotifyParse =
  | { ok: true; args: NotifyArgs }
  | { ok: false; field: string; value: string; reason: string };

const SAFE_DIR = /^\/[A-Za-z0-9_./-]{0,199}$/;
const PRIORITY = /^\d{1,3}$/;

const bad = (field: string, value: string | undefined, reason: string): NotifyParse => ({
  ok: false,
  field,
  value: (value ?? '(missing)').slice(0, 80),
  reason,
});

const safeDir = (s: string | undefined): s is string =>
  s !== undefined && SAFE_DIR.test(s) && !s.split('/').includes('..');

export function parseNotifyArgs(argv: readonly string[]): NotifyParse {
  if (argv.length !== 8) return bad('argv', argv.join(' '), `expected 8 arguments, got ${argv.length}`);
  const [o1, stateDir, o2, runDir, kind, name, state, prio] = argv;
  if (o1 !== '--state-dir') return bad('argv[0]', o1, 'expected --state-dir');
  if (!safeDir(stateDir)) return bad('--state-dir', stateDir, 'not an absolute path of [A-Za-z0-9_./-]');
  if (o2 !== '--run-dir') return bad('argv[2]', o2, 'expected --run-dir');
  if (!safeDir(runDir)) return bad('--run-dir', runDir, 'not an absolute path of [A-Za-z0-9_./-]');
  if (kind !== 'INSTANCE') return bad('type', kind, 'expected INSTANCE');
  const m = INSTANCE_PATTERN.exec(name ?? '');
  if (!m?.[1]) return bad('instance', name, 'not an l3ha instance name l3ha_<router id>');
  if (!HOOK_STATES.includes(state as HookState))
    return bad('state', state, `not one of ${HOOK_STATES.join(', ')}`);
  if (!PRIORITY.test(prio ?? '') || Number(prio) > 255) return bad('priority', prio, 'not an integer 0..255');
  return {
    ok: true,
    args: { stateDir, runDir, router: m[1], state: state as HookState, priority: Number(prio) },
  };
}

// The argv keepalived passes to the hook (after the command itself), with defaults for
// each part: the one fixture of a hook call, for tests and the bench.
export function hookArgv(
  o: { stateDir?: string; runDir?: string; kind?: string; name?: string; state?: string; prio?: string } = {},
): string[] {
  return [
    '--state-dir',
    o.stateDir ?? '/var/lib/l3ha',
    '--run-dir',
    o.runDir ?? '/run/l3ha',
    o.kind ?? 'INSTANCE',
    o.name ?? 'l3ha_r1',
    o.state ?? 'MASTER',
    o.prio ?? '100',
  ];
}
