import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSync } from '../system/run-sync.js';
import { L3HA_MAIN } from '../system/self.js';
import { hookArgv } from '../transitions/notify-args.js';

// The notify hook's cost against `node -e 0`, both run `runs` times in a loop by bash so
// that `times` reports the CPU of the children: wall and CPU per run, and their ratio.

export interface CostSample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

function loop(argv: string[], runs: number): CostSample {
  const script = `for i in $(seq ${runs}); do "$@" >/dev/null 2>&1; done; times`;
  const t0 = performance.now();
  const out = runSync('bash', ['-c', script, 'bench', ...argv]).stdout;
  const wall = performance.now() - t0;
  const child = out.trim().split('\n')[1] ?? '';
  const secs = [...child.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { wallMs: wall / runs, cpuMs: (((secs[0] ?? 0) + (secs[1] ?? 0)) * 1000) / runs };
}

export function notifyCost(runs: number): {
  notify: CostSample;
  nodeE0: CostSample;
  wallRatio: number;
  cpuRatio: number;
} {
  const dir = mkdtempSync(join(tmpdir(), 'l3ha-bench-notify-'));
  try {
    mkdirSync(join(dir, 'state/routers/r1'), { recursive: true });
    mkdirSync(join(dir, 'run'));
    const argv = [
      process.execPath,
      L3HA_MAIN,
      'notify',
      ...hookArgv({ stateDir: join(dir, 'state'), runDir: join(dir, 'run') }),
    ];
    // Warm the page cache for both before measuring.
    loop(argv, 3);
    loop([process.execPath, '-e', '0'], 3);
    const nodeE0 = loop([process.execPath, '-e', '0'], runs);
    const notify = loop(argv, runs);
    return {
      notify,
      nodeE0,
      wallRatio: notify.wallMs / nodeE0.wallMs,
      cpuRatio: notify.cpuMs / nodeE0.cpuMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
