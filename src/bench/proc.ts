import { readdirSync, readFileSync } from 'node:fs';

// Process CPU and memory from /proc, for the agent and keepalived at scale.

const TICKS = 100;

// utime + stime of a process, in seconds (0 when it is gone).
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS;
  } catch {
    return 0;
  }
}

// utime + stime of a process and of the children it has reaped (the ip and nft it ran), in s.
export function cpuSecondsWithChildren(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS;
  } catch {
    return 0;
  }
}

// Resident and proportional set size in MiB (PSS shares common pages fairly).
export function memoryMiB(pid: number): { rss: number; pss: number } {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
    return { rss: kb('Rss') / 1024, pss: kb('Pss') / 1024 };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

// Pids whose argv contains every needle (say, keepalived and one lab's directory).
export function pidsWithArg(...needles: string[]): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (needles.every((n) => argv.includes(n))) out.push(pid);
    } catch {
      // gone
    }
  }
  return out;
}

// CPU time the whole machine spent busy (every core, every process and the kernel), in s.
export function machineBusySeconds(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return (user + nice + system + irq + softirq + steal) / TICKS;
}

// Packets the kernel dropped because a CPU's input backlog was full (netdev_max_backlog),
// summed over CPUs since boot (/proc/net/softnet_stat, second column).
export function backlogDrops(): number {
  return sumHexColumn(readFileSync('/proc/net/softnet_stat', 'utf8').trim().split('\n'), 1);
}

// One per-CPU counter of a /proc/net table (hex, one line per CPU), summed.
function sumHexColumn(lines: readonly string[], col: number): number {
  return lines.reduce((sum, line) => sum + Number.parseInt(line.trim().split(/\s+/)[col] ?? '0', 16), 0);
}

// Times a neighbour entry could not be made because the ARP table was full, summed over
// CPUs since boot (/proc/net/stat/arp_cache, column table_fulls). The table and its limit
// (net.ipv4.neigh.default.gc_thresh3) are shared by every namespace of the machine.
export function arpTableFulls(text = readFileSync('/proc/net/stat/arp_cache', 'utf8')): number {
  const [header, ...rows] = text.trim().split('\n');
  const col = (header ?? '').trim().split(/\s+/).indexOf('table_fulls');
  return col < 0 ? 0 : sumHexColumn(rows, col);
}
