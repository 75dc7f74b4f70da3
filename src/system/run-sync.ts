import { spawnSync } from 'node:child_process';

// Runs a short command to completion, argv only, for tools that measure (bench) rather
// than manage: stdout, stderr and the exit code, never a throw.
export function runSync(
  file: string,
  args: readonly string[],
): { stdout: string; stderr: string; code: number } {
  const r = spawnSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', code: r.status ?? -1 };
}
