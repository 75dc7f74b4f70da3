import { L3haError } from '../errors.js';
import { type ChaosCommandOptions, runChaosCommand } from './chaos.js';
import { reportFailure } from './output.js';

// Runs `l3ha drill chaos`. A stopped run leaves steps still pending in this process (a node
// rebuild, a hold); once its cleanup is done the process exits at once, so none of them can
// start anything again.
export async function runChaos(o: ChaosCommandOptions): Promise<number> {
  try {
    return await runChaosCommand(o);
  } catch (err) {
    if (!(err instanceof L3haError) || err.code !== 'L3HA_DRILL_ABORTED') throw err;
    const code = reportFailure(err);
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
    process.exit(code);
  }
}
