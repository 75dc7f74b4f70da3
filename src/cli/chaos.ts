import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runChaos } from '../drill/chaos.js';
import { formatChaosReport } from '../drill/chaos-report.js';
import { CHAOS_KINDS, parseKinds } from '../drill/chaos-schedule.js';
import { L3haError } from '../errors.js';
import { healLab } from '../lab/chaos-faults.js';
import { labDown, labFromDir, labUp } from '../lab/lab.js';
import { type LabPlan, routerSpecText } from '../lab/plan.js';
import { ExecaRunner } from '../system/runner.js';
import type { DrillCommandOptions } from './drill.js';
import { labRunId, labSize } from './lab.js';

// `l3ha drill chaos`: random faults from a seed for --duration, the invariants checked after
// each. Exit 1 on any violation. On a failure or Ctrl-C everything the drill started is
// removed (the lab it brought up goes down) and one line says why.

// "90s", "10m", "1h" or a number of seconds.
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 's' | 'm' | 'h'];
  return ms > 0 ? ms : undefined;
}

const bad = (field: string, value: unknown, why: string) =>
  new L3haError('L3HA_BAD_ARGUMENT', why, { field, value });

export interface ChaosCommandOptions extends DrillCommandOptions {
  duration?: string;
  seed?: string;
  kinds?: string;
}

export async function runChaosCommand(o: ChaosCommandOptions): Promise<number> {
  if (o.html !== undefined)
    throw bad('--html', o.html, 'is not built for drill chaos; --json gives every fault and violation');
  const n = labSize(o.routers, o.profile);
  const durationMs = parseDuration(o.duration ?? '10m');
  if (durationMs === undefined) throw bad('--duration', o.duration, 'must be like 90s, 10m or 1h');
  const seed = o.seed === undefined ? randomInt(0, 2 ** 31) : Number(o.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw bad('--seed', o.seed, 'must be a whole number 0..4294967295');
  const kinds = parseKinds(o.kinds);
  if (!kinds) throw bad('--kinds', o.kinds, `must be a comma-separated list of ${CHAOS_KINDS.join(', ')}`);
  const max = o.maxDowntime === undefined ? undefined : Number(o.maxDowntime);
  if (max !== undefined && (!Number.isFinite(max) || max <= 0))
    throw bad('--max-downtime', o.maxDowntime, 'must be a positive number of ms');
  const runner = new ExecaRunner();
  const say = (m: string) => {
    if (!o.json) process.stderr.write(`chaos: ${m}\n`);
  };
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const own = !existsSync(o.dir);
  let plan: LabPlan | undefined;
  try {
    if (own) {
      say(`bringing up a ${n}-router lab (profile ${o.profile}) in ${o.dir}`);
      plan = labFromUp(
        await Promise.race([
          labUp(runner, { runId: labRunId(o.runId), dir: o.dir, routers: n, profile: o.profile }),
          new Promise<never>((_, reject) =>
            ac.signal.addEventListener('abort', () => reject(new Error('interrupted'))),
          ),
        ]),
      );
    } else plan = labFromDir(o.dir);
    say(`seed ${seed}, ${Math.round(durationMs / 1000)} s, faults: ${kinds.join(', ')}`);
    const report = await runChaos(runner, plan, {
      durationMs,
      seed,
      kinds,
      tcp: o.tcp && plan.routers.length <= 20,
      maxDowntimeMs: max,
      signal: ac.signal,
      onProgress: say,
    });
    process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : formatChaosReport(report));
    if (report.aborted !== undefined) throw stopped(report.aborted, own);
    return report.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof L3haError) throw err;
    throw stopped((err as Error).message, own);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp(runner, o.dir, plan, own);
  }
}

const labFromUp = (r: { plan: LabPlan }) => r.plan;

function stopped(why: string, own: boolean): L3haError {
  return new L3haError(
    'L3HA_DRILL_ABORTED',
    `drill chaos stopped: ${why}; ${own ? 'the lab it brought up was removed' : 'the lab was healed and left up'}`,
  );
}

// A lab the drill brought up goes down (twice: a step still running when the run was
// interrupted may have started something after the first sweep); a lab given is healed.
async function cleanUp(runner: ExecaRunner, dir: string, plan: LabPlan | undefined, own: boolean) {
  const p = plan ?? (existsSync(join(dir, 'lab.json')) ? labFromDir(dir) : undefined);
  if (!p) return;
  if (!own) {
    const specs = new Map(
      p.nodes.flatMap((n) =>
        p.routers.map((r) => [join(n.dir, 'routers.d', `${r.id}.yaml`), routerSpecText(r)] as const),
      ),
    );
    await healLab(runner, p, specs).catch(() => undefined);
    return;
  }
  await labDown(runner, p).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 500));
  await labDown(runner, p).catch(() => undefined);
}
