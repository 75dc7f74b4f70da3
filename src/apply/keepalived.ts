import { rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { L3haError } from '../errors.js';
import type { Action } from '../plan/actions.js';
import type { ProcId } from '../plan/observed.js';
import { atomicWrite, ensureDir, removePath } from '../system/files.js';
import { binariesOf, startOf, type Verdict, verifyKeepalived } from '../system/proc-identity.js';
import { isAlive, readPidFile, signal } from '../system/process.js';
import { type CommandRunner, inNamespace } from '../system/runner.js';

// keepalived's lifecycle for one router. keepalived daemonises, so it outlives the agent
// (lesson 6); the agent finds it again through the pid files.

// The start action's fields, plus the binary to run.
export type StartSpec = Omit<Extract<Action, { kind: 'startKeepalived' }>, 'kind'> & {
  readonly binary: string;
};

// Returns the keepalived processes it started (parent, then the VRRP child) with their start
// times, which every later look and signal requires (system/proc-identity).
export async function startKeepalived(runner: CommandRunner, s: StartSpec): Promise<ProcId[]> {
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
    const vrrpPid = readPidFile(s.vrrpPidFile);
    if (pid !== undefined && isAlive(pid) && vrrpPid !== undefined) {
      await atomicWrite(s.loadedFile, `${s.hash}\n`);
      return [pid, vrrpPid].flatMap((p) => {
        const start = startOf(p);
        return start === undefined ? [] : [{ pid: p, start }];
      });
    }
    await sleep(20);
  }
  throw new L3haError(
    'L3HA_COMMAND_FAILED',
    `keepalived for ${s.ns} wrote no live pid to ${s.pidFile} within 5 s`,
  );
}

// What a signal must find at the pid: this router's keepalived, started when recorded.
export interface SignalTarget {
  readonly binary: string;
  readonly conf: string;
}

// Re-checks the identity right before the signal; sends nothing to a process that is not
// (any more) this router's keepalived. Returns the verdict.
function signalOurs(t: SignalTarget, p: ProcId, sig: NodeJS.Signals): Verdict {
  const v = verifyKeepalived(p.pid, { binaries: binariesOf(t.binary), conf: t.conf, start: p.start });
  if (v.ours && !signal(p.pid, sig)) return { ours: false, gone: true, why: 'gone' };
  return v;
}

const stillOurs = (t: SignalTarget, p: ProcId): boolean =>
  verifyKeepalived(p.pid, { binaries: binariesOf(t.binary), conf: t.conf, start: p.start }).ours;

const refusal = (p: ProcId, sig: string, v: Verdict): string =>
  v.ours ? '' : `did not send ${sig} to pid ${p.pid}: ${v.why}`;

// SIGHUP re-reads the config. Callers space reloads (lesson 5).
export async function reloadKeepalived(
  t: SignalTarget,
  proc: ProcId,
  loadedFile: string,
  hash: string,
): Promise<void> {
  const v = signalOurs(t, proc, 'SIGHUP');
  if (!v.ours && v.gone)
    throw new L3haError('L3HA_COMMAND_FAILED', `keepalived ${proc.pid} is gone; cannot reload`);
  if (!v.ours) throw new L3haError('L3HA_NOT_OUR_PROCESS', refusal(proc, 'SIGHUP', v));
  await atomicWrite(loadedFile, `${hash}\n`);
}

// SIGTERM lets keepalived send a priority-0 advert and remove its addresses, so the peer
// takes over within skew time. SIGKILL after the timeout, so a wedged one cannot linger;
// each signal re-checks the identity first (a pid that exited may be reused meanwhile).
// Returns one line per signal not sent to a live process that is not ours.
export async function stopKeepalived(
  t: SignalTarget,
  procs: readonly ProcId[],
  timeoutMs = 5000,
): Promise<string[]> {
  const refused: string[] = [];
  const note = (p: ProcId, sig: string, v: Verdict) => {
    if (!v.ours && !v.gone) refused.push(refusal(p, sig, v));
  };
  for (const p of procs) note(p, 'SIGTERM', signalOurs(t, p, 'SIGTERM'));
  const live = () => procs.filter((p) => stillOurs(t, p));
  const deadline = Date.now() + timeoutMs;
  while (live().length > 0 && Date.now() < deadline) await sleep(20);
  for (const p of live()) note(p, 'SIGKILL', signalOurs(t, p, 'SIGKILL'));
  while (live().length > 0 && Date.now() < deadline + 2000) await sleep(20);
  return refused;
}

export async function killPid(t: SignalTarget, p: ProcId): Promise<string[]> {
  const v = signalOurs(t, p, 'SIGKILL');
  const deadline = Date.now() + 2000;
  while (v.ours && stillOurs(t, p) && Date.now() < deadline) await sleep(10);
  return v.ours || v.gone ? [] : [refusal(p, 'SIGKILL', v)];
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
