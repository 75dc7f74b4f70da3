import { rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { L3haError } from '../errors.js';
import type { Action } from '../plan/actions.js';
import { atomicWrite, ensureDir, removePath } from '../system/files.js';
import { isAlive, readPidFile, signal } from '../system/process.js';
import { type CommandRunner, inNamespace } from '../system/runner.js';

// keepalived's lifecycle for one router. keepalived daemonises, so it outlives the agent
// (lesson 6); the agent finds it again through the pid files.

// The start action's fields, plus the binary to run.
export type StartSpec = Omit<Extract<Action, { kind: 'startKeepalived' }>, 'kind'> & {
  readonly binary: string;
};

export async function startKeepalived(runner: CommandRunner, s: StartSpec): Promise<number> {
  await ensureDir(dirname(s.pidFile));
  // keepalived refuses to start while its pid file names a process that still exists, and
  // a SIGKILLed keepalived can linger as a zombie until init reaps it. The planner only
  // starts keepalived when ours is gone, so the old pid files are stale by then.
  await removePath(s.pidFile);
  await removePath(s.vrrpPidFile);
  // -P: VRRP only (no health checker). Separate pid files per router, so many
  // keepalived processes coexist and each is found and stopped by its own pid.
  await inNamespace(runner, s.ns, s.binary, ['-P', '-f', s.conf, '-p', s.pidFile, '-r', s.vrrpPidFile]);
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const pid = readPidFile(s.pidFile);
    if (pid !== undefined && isAlive(pid) && readPidFile(s.vrrpPidFile) !== undefined) {
      await atomicWrite(s.loadedFile, `${s.hash}\n`);
      return pid;
    }
    await sleep(20);
  }
  throw new L3haError(
    'L3HA_COMMAND_FAILED',
    `keepalived for ${s.ns} wrote no live pid to ${s.pidFile} within 5 s`,
  );
}

// SIGHUP re-reads the config. Callers space reloads (lesson 5).
export async function reloadKeepalived(pid: number, loadedFile: string, hash: string): Promise<void> {
  if (!signal(pid, 'SIGHUP'))
    throw new L3haError('L3HA_COMMAND_FAILED', `keepalived ${pid} is gone; cannot reload`);
  await atomicWrite(loadedFile, `${hash}\n`);
}

// SIGTERM lets keepalived send a priority-0 advert and remove its addresses, so the peer
// takes over within skew time. SIGKILL after the timeout, so a wedged one cannot linger.
export async function stopKeepalived(pids: readonly number[], timeoutMs = 5000): Promise<void> {
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(20);
  for (const pid of pids.filter(isAlive)) signal(pid, 'SIGKILL');
  while (pids.some(isAlive) && Date.now() < deadline + 2000) await sleep(20);
}

export async function killPid(pid: number): Promise<void> {
  signal(pid, 'SIGKILL');
  const deadline = Date.now() + 2000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(10);
}

// Writes a keepalived.conf only after `keepalived -t` accepts it in the router's namespace
// (where its interfaces are): keepalived exits on a fatal config at SIGHUP or respawn and
// leaves its addresses up, which would split the brain.
export async function writeCheckedConf(
  runner: CommandRunner,
  binary: string,
  ns: string,
  path: string,
  content: string,
): Promise<void> {
  const candidate = `${path}.new`;
  await atomicWrite(candidate, content);
  const r = await inNamespace(runner, ns, binary, ['-t', '-f', candidate], { check: false });
  if (r.exitCode !== 0) {
    await removePath(candidate);
    const why = [
      ...new Set(
        r.stderr
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      ),
    ]
      .slice(0, 3)
      .join(' | ');
    throw new L3haError(
      'L3HA_KEEPALIVED_REJECTED',
      `keepalived -t refused the new config (kept the old one): ${why}`,
      { file: path },
    );
  }
  await rename(candidate, path);
}
