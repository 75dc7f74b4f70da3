import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labDown, labFromDir } from '../lab/lab.js';
import { listDir } from '../system/files.js';
import { onInterrupt } from '../system/interrupt.js';
import { ExecaRunner } from '../system/runner.js';
import { sweep } from '../system/sweep.js';
import { baselineDowntime, l3haDowntime } from './downtime.js';
import { machine } from './env.js';
import { massFailover } from './mass.js';
import { notifyCost } from './notify-cost.js';
import { benchHtml } from './report-html.js';
import { agentAtScale } from './scale.js';
import { type BenchResults, markdown } from './table.js';
import { transportCompare } from './transport.js';

// `npm run bench`: failover speed and scale next to the Neutron-default baseline, in one
// run on this machine. Writes bench/results.json (every raw sample), bench/results.md and
// bench/report.html (the same as pictures; `node dist/bench/report.js` redraws it).
//   --only downtime,mass,transport,notify,scale   --runs N   --quick   --mass 10,100,250   --scale 100,500
//   --window S   --merge

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const only = new Set((opt('--only') ?? 'downtime,mass,transport,notify,scale').split(','));
const runs = Number(opt('--runs') ?? (quick ? 2 : 5));
const work = '/run/l3ha-bench';
const say = (m: string) => process.stderr.write(`bench ${new Date().toISOString().slice(11, 19)} ${m}\n`);

const runner = new ExecaRunner();
const started = Date.now();
// Ctrl-C or SIGTERM: every lab under the work dir goes, then whatever still names the work dir.
onInterrupt(`the bench's labs in ${work}`, async () => {
  const r = new ExecaRunner();
  for (const d of listDir(work)) {
    try {
      await labDown(r, labFromDir(join(work, d)));
    } catch {
      // not a lab, or half up: the sweep below catches its processes
    }
  }
  await sweep(r, '', [work]);
  rmSync(work, { recursive: true, force: true });
});
// --merge keeps the sections of an earlier bench/results.json that this run does not redo.
const earlier: Record<string, unknown> & { seconds?: number } =
  args.includes('--merge') && existsSync('bench/results.json')
    ? JSON.parse(readFileSync('bench/results.json', 'utf8'))
    : {};
const results: Record<string, unknown> = {
  ...earlier,
  date: new Date().toISOString().slice(0, 10),
  machine: machine(),
  runs,
};
const save = () => {
  mkdirSync('bench', { recursive: true });
  const seconds = Math.round((Date.now() - started) / 1000) + (earlier.seconds ?? 0);
  const r = { ...results, seconds } as unknown as BenchResults;
  writeFileSync('bench/results.json', `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync('bench/results.md', markdown(r));
  writeFileSync('bench/report.html', benchHtml(r));
};

const SCENARIOS = ['node-loss', 'graceful', 'keepalived-crash', 'agent-crash'];
try {
  if (only.has('notify')) {
    say('notify hook cost');
    results.notify = { ...notifyCost(50), runs: 50 };
    save();
  }
  if (only.has('downtime')) {
    const downtime: Record<string, unknown> = {};
    results.downtime = downtime;
    for (const profile of ['fast', 'standard']) {
      say(`downtime, profile ${profile}`);
      downtime[profile] = await l3haDowntime(runner, work, profile, SCENARIOS, runs, say);
      save();
    }
    say('downtime, Neutron-default baseline');
    downtime.baseline = await baselineDowntime(
      runner,
      work,
      ['node-loss', 'graceful', 'keepalived-crash'],
      runs,
      say,
    );
    save();
  }
  if (only.has('mass')) {
    const mass = [];
    for (const n of opt('--mass')?.split(',').map(Number) ?? (quick ? [10] : [10, 100, 250])) {
      say(`mass failover, ${n} routers`);
      mass.push(await massFailover(runner, work, n, say));
      results.mass = mass;
      save();
    }
  }
  if (only.has('transport')) {
    const t = [];
    const n = quick ? 20 : 100;
    for (const transport of ['unicast', 'multicast'] as const) {
      say(`steady state, ${n} routers, ${transport}`);
      t.push(await transportCompare(runner, work, n, transport, quick ? 10 : 20, say));
      results.transport = t;
      save();
    }
  }
  if (only.has('scale')) {
    const s = [];
    const sizes = opt('--scale')?.split(',').map(Number) ?? (quick ? [20] : [100, 500]);
    for (const n of sizes) {
      say(`agent at scale, ${n} routers`);
      s.push(await agentAtScale(runner, work, n, Number(opt('--window') ?? (quick ? 10 : 30)), say));
      results.scale = s;
      save();
    }
  }
} catch (err) {
  // Each section has removed its own lab already. One line, the sections measured so far
  // are kept in bench/results.json, and exit 1.
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  // Each section removes its own lab; the work dir holding them goes last.
  rmSync(work, { recursive: true, force: true });
}
if (process.exitCode === 1) process.exit(1);
save();
process.stdout.write(
  markdown({ ...results, seconds: Math.round((Date.now() - started) / 1000) } as unknown as BenchResults),
);
