import { readFileSync, readlinkSync, realpathSync } from 'node:fs';

// Who a pid is, from /proc, and whether it is the keepalived l3ha started for a router.
// A pid alone names nobody: it is recycled, and anyone can put "keepalived" and our config
// path in an argv. The parsers and the decision are pure; procFacts does the reading.

// A process by pid and start time (clock ticks after boot, /proc/PID/stat field 22): a
// recycled pid has another start time.
export interface ProcId {
  readonly pid: number;
  readonly start: number;
}

export interface ProcFacts {
  readonly pid: number;
  // One-letter state (R, S, Z...), parent pid and start time, from /proc/PID/stat.
  readonly state: string;
  readonly ppid: number;
  readonly start: number;
  // Real and effective uid, from /proc/PID/status.
  readonly uid: { readonly real: number; readonly effective: number } | undefined;
  // The target of /proc/PID/exe; undefined when unreadable (not ours to read, or a kernel thread).
  readonly exe: string | undefined;
  readonly argv: readonly string[];
}

// /proc/PID/stat: the comm field is in parentheses and may hold spaces and ')', so the
// fields are counted from the last ')'. Field 3 is the state, 4 the ppid, 22 the start time.
export function parseStat(text: string): { state: string; ppid: number; start: number } | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = text
    .slice(close + 2)
    .trim()
    .split(' ');
  const ppid = Number(f[1]);
  const start = Number(f[19]);
  if (!f[0] || !Number.isInteger(ppid) || !Number.isInteger(start) || f[19] === undefined) return undefined;
  return { state: f[0], ppid, start };
}

// The `Uid:` line of /proc/PID/status: real, effective, saved, filesystem.
export function parseStatusUids(text: string): { real: number; effective: number } | undefined {
  const m = /^Uid:\s+(\d+)\s+(\d+)/m.exec(text);
  return m ? { real: Number(m[1]), effective: Number(m[2]) } : undefined;
}

// The kernel appends " (deleted)" to /proc/PID/exe when the file was removed or replaced
// after the exec: a package upgrade of keepalived does that to every running keepalived.
const DELETED = ' (deleted)';
export const exePath = (link: string): string =>
  link.endsWith(DELETED) ? link.slice(0, -DELETED.length) : link;

export interface KeepalivedWant {
  // The configured binary and its realpath; /proc/PID/exe is always a resolved path.
  readonly binaries: readonly string[];
  readonly conf: string;
  // The start time recorded when l3ha started (or first adopted) this pid.
  readonly start?: number | undefined;
}

export type Verdict =
  | { readonly ours: true }
  | { readonly ours: false; readonly gone: boolean; readonly why: string };

const notOurs = (why: string, gone = false): Verdict => ({ ours: false, gone, why });

// The decision: a pid is this router's keepalived only if every one of these holds. A
// non-root process can fake the argv and even exec the real binary, never uid 0; a root
// process that is not keepalived fails the exe; a recycled pid fails the start time. A
// binary replaced after the exec (" (deleted)", an upgrade) is still ours: same path.
export function judgeKeepalived(f: ProcFacts | undefined, want: KeepalivedWant): Verdict {
  if (f === undefined || f.state === 'Z' || f.state === 'X') return notOurs('gone', true);
  if (want.start !== undefined && f.start !== want.start)
    return notOurs(`started at tick ${f.start}, not the recorded ${want.start}: the pid was reused`);
  if (f.uid === undefined || f.uid.real !== 0 || f.uid.effective !== 0)
    return notOurs(`runs as uid ${f.uid ? `${f.uid.real}/${f.uid.effective}` : 'unknown'}, not root`);
  if (f.exe === undefined || !want.binaries.includes(exePath(f.exe)))
    return notOurs(`runs ${f.exe ?? 'an unreadable binary'}, not ${want.binaries[0]}`);
  if (!f.argv[0]?.endsWith('keepalived') || !f.argv.includes(want.conf))
    return notOurs(`its command line does not run keepalived on ${want.conf}`);
  return { ours: true };
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

// Everything judgeKeepalived needs about one pid; undefined when it is gone.
export function procFacts(pid: number): ProcFacts | undefined {
  const stat = parseStat(read(`/proc/${pid}/stat`) ?? '');
  if (stat === undefined) return undefined;
  let exe: string | undefined;
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    exe = undefined;
  }
  const argv = (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter((s) => s !== '');
  return { pid, ...stat, uid: parseStatusUids(read(`/proc/${pid}/status`) ?? ''), exe, argv };
}

// The start time of a pid, or undefined when it is gone.
export const startOf = (pid: number): number | undefined => parseStat(read(`/proc/${pid}/stat`) ?? '')?.start;

// The configured binary and where it really lives (a symlink, a relative install).
export function binariesOf(binary: string): string[] {
  try {
    const real = realpathSync(binary);
    return real === binary ? [binary] : [binary, real];
  } catch {
    return [binary];
  }
}

// Judges a pid against the router's keepalived, reading /proc now.
export const verifyKeepalived = (pid: number, want: KeepalivedWant): Verdict =>
  judgeKeepalived(procFacts(pid), want);
