import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { controlSocket } from '../config/paths.js';
import { startDaemon } from '../system/background.js';
import { callControl } from '../system/control-client.js';
import { isAlive, readPidFile, signal } from '../system/process.js';
import { AGENT_NODE_FLAGS, L3HA_MAIN } from '../system/self.js';
import type { LabNode } from './plan.js';

// Starts and stops the lab's agents: real `l3ha agent` processes, detached, with pid files.

export function startAgent(n: LabNode): Promise<number> {
  return startDaemon(
    [process.execPath, ...AGENT_NODE_FLAGS, L3HA_MAIN, 'agent', '--config', n.config],
    n.logFile,
    n.pidFile,
  );
}

export function agentPid(n: LabNode): number | undefined {
  const pid = readPidFile(n.pidFile);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

// Stops a node's agent by its pid file: SIGTERM (or the given signal), then waits.
export async function stopAgent(n: LabNode, sig: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const pid = agentPid(n);
  if (pid === undefined) return;
  signal(pid, sig);
  const deadline = Date.now() + 5000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(20);
  if (isAlive(pid)) signal(pid, 'SIGKILL');
}

// Waits until the node's agent answers and runs a live keepalived for every router it
// serves (a rebooted node has rebuilt everything). False on timeout.
export async function waitNodeBuilt(n: LabNode, routers: number, timeoutMs: number): Promise<boolean> {
  const socket = controlSocket({ runDir: join(n.dir, 'run') });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const s = (await callControl(socket, 'GET', '/status', 5000)) as {
        routers: { keepalivedPid: number | null; role: string }[];
      };
      const live = s.routers.filter((r) => r.keepalivedPid !== null && r.role !== 'DOWN');
      if (live.length === routers) return true;
    } catch {
      // not listening yet
    }
    // Each look costs the agent a status; twice a second is enough for a build of minutes.
    await sleep(500);
  }
  return false;
}
