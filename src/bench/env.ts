import { cpus, release, totalmem } from 'node:os';
import { runSync } from '../system/run-sync.js';

// The machine a benchmark ran on, for the results table.
export function machine(): Record<string, string | number> {
  // keepalived prints its version on stderr, nft on stdout.
  const version = (cmd: string, args: string[]) => {
    const r = runSync(cmd, args);
    return `${r.stdout}${r.stderr}`.split('\n')[0]?.trim() || 'unknown';
  };
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    keepalived: version('keepalived', ['--version']),
    nft: version('nft', ['--version']),
  };
}
