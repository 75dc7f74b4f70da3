import { type RouterStatus, routerStatus } from '../agent/status.js';
import { controlSocket } from '../config/paths.js';
import { L3haError } from '../errors.js';
import { callControl } from '../system/control-client.js';
import { untilInterrupt } from '../system/interrupt.js';
import { ExecaRunner } from '../system/runner.js';
import { type Loaded, loadAll, notifyCommand } from './context.js';

export interface StatusOptions {
  readonly config: string;
  readonly json?: boolean;
  readonly watch?: boolean;
  readonly interval?: string;
}

interface Report {
  readonly agent: 'up' | 'down';
  readonly routers: RouterStatus[];
}

// Asks the agent; when the agent is down, observes the node directly.
async function statusReport(loaded: Loaded): Promise<Report> {
  try {
    const r = (await callControl(controlSocket(loaded.agent), 'GET', '/status', 5000)) as {
      routers: RouterStatus[];
    };
    return { agent: 'up', routers: r.routers };
  } catch {
    const runner = new ExecaRunner();
    const notify = notifyCommand(loaded.agentFile, loaded.agent);
    const routers: RouterStatus[] = [];
    for (const e of loaded.routers)
      routers.push(await routerStatus(runner, loaded.agent, e.spec, notify, undefined));
    return { agent: 'down', routers };
  }
}

// The human table: a header line, then one aligned row per router.
export function formatStatus(node: string, report: Report): string {
  const rows = [['ROUTER', 'ROLE', 'PID', 'UPTIME', 'NAT', 'ADDRESSES', 'ERROR']];
  for (const r of report.routers) {
    rows.push([
      r.id,
      r.role,
      String(r.keepalivedPid ?? '-'),
      r.keepalivedUptimeS === null ? '-' : `${r.keepalivedUptimeS}s`,
      r.natInSync === null ? '?' : r.natInSync ? 'ok' : 'DRIFT',
      String(r.addresses.length),
      r.lastError ? r.lastError.code : '-',
    ]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  const lines = rows.map((row) =>
    row
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  return `node ${node} (agent ${report.agent})\n${lines.join('\n')}\n`;
}

// Cursor home and clear screen: each refresh of --watch replaces the last.
export const CLEAR = '\x1b[H\x1b[2J';

// --interval in seconds: 0.2 .. 3600, default 1.
export function watchIntervalMs(interval: string | undefined): number {
  if (interval === undefined) return 1000;
  const s = Number(interval);
  if (!/^\d+(\.\d+)?$/.test(interval) || !(s >= 0.2 && s <= 3600))
    throw new L3haError('L3HA_BAD_ARGUMENT', 'must be a number of seconds, 0.2..3600', {
      field: '--interval',
    });
  return Math.round(s * 1000);
}

// `l3ha status`: once, or with --watch redrawn in place every interval until Ctrl-C (exit 0).
export async function runStatus(opts: StatusOptions): Promise<number> {
  if (opts.watch && opts.json)
    throw new L3haError('L3HA_BAD_ARGUMENT', '--watch redraws a table; it does not take --json', {
      field: '--watch',
    });
  if (!opts.watch && opts.interval !== undefined)
    throw new L3haError('L3HA_BAD_ARGUMENT', '--interval goes with --watch', { field: '--interval' });
  const everyMs = watchIntervalMs(opts.interval);
  const loaded = loadAll(opts.config);
  if (!opts.watch) {
    const report = await statusReport(loaded);
    process.stdout.write(
      opts.json
        ? `${JSON.stringify({ node: loaded.agent.node, ...report }, null, 2)}\n`
        : formatStatus(loaded.agent.node, report),
    );
    return 0;
  }
  const stop = untilInterrupt();
  try {
    while (!stop.signal.aborted) {
      const report = await statusReport(loaded);
      if (stop.signal.aborted) break;
      const head = `every ${everyMs / 1000}s: l3ha status (Ctrl-C to stop)  ${new Date().toISOString()}\n`;
      process.stdout.write(`${CLEAR}${head}${formatStatus(loaded.agent.node, report)}`);
      await stop.sleep(everyMs);
    }
  } finally {
    stop.release();
  }
  return 0;
}
