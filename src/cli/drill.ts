import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { drillHtml } from '../drill/html.js';
import { formatReport } from '../drill/report.js';
import { runDrill } from '../drill/run.js';
import { SCENARIOS, scenario } from '../drill/scenarios.js';
import { L3haError } from '../errors.js';
import { labDown, labFromDir, labUp, removeLab } from '../lab/lab.js';
import { atomicWrite, isDirectory } from '../system/files.js';
import { onInterrupt } from '../system/interrupt.js';
import { ExecaRunner } from '../system/runner.js';
import { labFailed, labRunId, labSize } from './lab.js';

const OUTBOUND_SAMPLE = 10;

// `l3ha drill SCENARIO`: runs against the lab in --dir, or brings one up for the drill
// and removes it afterwards. Exit 1 when any check fails.
export interface DrillCommandOptions {
  routers: string;
  profile: string;
  json?: boolean;
  maxDowntime?: string;
  dir: string;
  tcp: boolean;
  runId?: string;
  html?: string;
}

export async function runDrillCommand(name: string, o: DrillCommandOptions): Promise<number> {
  const sc = scenario(name);
  if (!sc)
    throw new L3haError('L3HA_BAD_ARGUMENT', `must be one of ${SCENARIOS.join(', ')}`, {
      field: 'SCENARIO',
      value: name,
    });
  const n = labSize(o.routers, o.profile);
  const max = o.maxDowntime === undefined ? undefined : Number(o.maxDowntime);
  if (max !== undefined && (!Number.isFinite(max) || max <= 0)) {
    throw new L3haError('L3HA_BAD_ARGUMENT', 'must be a positive number of ms', {
      field: '--max-downtime',
      value: o.maxDowntime,
    });
  }
  const html = o.html === undefined ? undefined : htmlPath(o.html);
  const runner = new ExecaRunner();
  const say = (m: string) => {
    if (!o.json) process.stderr.write(`drill: ${m}\n`);
  };
  const own = !existsSync(o.dir);
  if (own) say(`bringing up a ${n}-router lab (profile ${o.profile}) in ${o.dir}`);
  const runId = labRunId(o.runId);
  const off = own
    ? onInterrupt(`the drill's lab ${runId}`, () => removeLab(new ExecaRunner(), runId, o.dir))
    : () => {};
  try {
    const plan = own
      ? (await labUp(runner, { runId, dir: o.dir, routers: n, profile: o.profile })).plan
      : labFromDir(o.dir);
    try {
      // At scale one fping probes every router inbound, and the outbound flows of the first
      // OUTBOUND_SAMPLE routers are probed: a ping process per flow for 100 routers (300) loaded the
      // node more than the failover did.
      const many = plan.routers.length > OUTBOUND_SAMPLE;
      const report = await runDrill(runner, plan, sc, {
        tcp: o.tcp && plan.routers.length <= 20,
        fping: many,
        ...(many ? { outboundRouters: OUTBOUND_SAMPLE } : {}),
        maxDowntimeMs: max,
        onProgress: say,
      });
      process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      if (html) {
        await atomicWrite(html, drillHtml(report));
        say(`wrote ${html}`);
      }
      return report.ok ? 0 : 1;
    } finally {
      if (own) {
        say('removing the lab');
        await labDown(runner, plan);
      }
    }
  } catch (err) {
    if (own) await removeLab(runner, runId, o.dir).catch(() => undefined);
    throw labFailed(`drill ${name}`, err, own ? 'the lab was removed' : `the lab in ${o.dir} is left up`);
  } finally {
    off();
  }
}

// --html FILE: its directory must exist and the file must not be a directory; checked
// before any lab comes up.
function htmlPath(file: string): string {
  const path = resolve(file);
  if (file === '' || !isDirectory(dirname(path)))
    throw new L3haError('L3HA_BAD_ARGUMENT', `its directory ${dirname(path)} does not exist`, {
      field: '--html',
      value: file,
    });
  if (isDirectory(path))
    throw new L3haError('L3HA_BAD_ARGUMENT', 'is a directory', { field: '--html', value: file });
  return path;
}
