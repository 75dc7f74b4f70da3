import { setTimeout as sleep } from 'node:timers/promises';
import { startDaemon } from '../system/background.js';
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
