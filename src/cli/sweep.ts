import { resolve } from 'node:path';
import { L3haError } from '../errors.js';
import { ExecaRunner } from '../system/runner.js';
import { isRunDir, RUN_MARKER, sweep } from '../system/sweep.js';

// `l3ha sweep`: cleans up after a crashed test or lab run.
export async function runSweep(opts: { prefix?: string; dir?: string[] }): Promise<number> {
  const prefix = opts.prefix ?? '';
  const dirs = (opts.dir ?? []).map((d) => resolve(d));
  if (prefix !== '' && !/^[A-Za-z0-9][A-Za-z0-9_.-]{2,}$/.test(prefix)) {
    throw new L3haError('L3HA_BAD_ARGUMENT', 'prefix must be 3+ characters of [A-Za-z0-9_.-]', {
      field: '--prefix',
      value: prefix,
    });
  }
  if (dirs.some((d) => d.split('/').filter(Boolean).length < 2)) {
    throw new L3haError('L3HA_BAD_ARGUMENT', 'refusing a directory this close to /', {
      field: '--dir',
      value: opts.dir,
    });
  }
  const unmarked = dirs.filter((d) => !isRunDir(d));
  if (unmarked.length > 0) {
    throw new L3haError(
      'L3HA_NOT_RUN_DIR',
      `${unmarked[0]} is not a directory l3ha made (it has no ${RUN_MARKER}); nothing was swept`,
      { field: '--dir', value: unmarked[0] },
    );
  }
  if (prefix === '' && dirs.length === 0) {
    throw new L3haError('L3HA_BAD_ARGUMENT', 'give --prefix and/or --dir', { field: '--prefix' });
  }
  const r = await sweep(new ExecaRunner(), prefix, dirs);
  process.stdout.write(`swept ${r.namespaces.length} namespace(s), ${r.pids.length} process(es)\n`);
  return 0;
}
