import { type RouterStatus, routerStatus } from '../agent/status.js';
import { controlSocket } from '../config/paths.js';
import { callControl } from '../system/control-client.js';
import { ExecaRunner } from '../system/runner.js';
import { loadAll, notifyCommand } from './context.js';

// `l3ha status`: asks the agent; when the agent is down, observes the node directly.
export async function runStatus(opts: { config: string; json?: boolean }): Promise<number> {
  const loaded = loadAll(opts.config);
  let report: { agent: string; routers: RouterStatus[] };
  try {
    const r = (await callControl(controlSocket(loaded.agent), 'GET', '/status', 5000)) as {
      routers: RouterStatus[];
    };
    report = { agent: 'up', routers: r.routers };
  } catch {
    const runner = new ExecaRunner();
    const routers: RouterStatus[] = [];
    for (const e of loaded.routers) {
      routers.push(
        await routerStatus(
          runner,
          loaded.agent,
          e.spec,
          notifyCommand(loaded.agentFile, loaded.agent),
          undefined,
        ),
      );
    }
    report = { agent: 'down', routers };
  }
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ node: loaded.agent.node, ...report }, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`node ${loaded.agent.node} (agent ${report.agent})\n`);
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
  for (const row of rows)
    process.stdout.write(
      `${row
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd()}\n`,
    );
  return 0;
}
