import { CommanderError } from 'commander';
import { L3haError, L3haErrors } from '../errors.js';

// Turns any failure into a one-line-per-problem report and an exit code. No stack traces
// for expected errors; an unexpected one is reported as a bug with exit 1.
export function reportFailure(err: unknown): number {
  if (err instanceof L3haErrors) {
    for (const e of err.errors) process.stderr.write(`${e.format()}\n`);
    return err.exitCode;
  }
  if (err instanceof L3haError) {
    process.stderr.write(`${err.format()}\n`);
    return err.exitCode;
  }
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return 0;
    return 2;
  }
  process.stderr.write(`l3ha: internal error [L3HA_INTERNAL]: ${(err as Error)?.stack ?? String(err)}\n`);
  return 1;
}
