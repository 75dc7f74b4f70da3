import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ExecaRunner } from '../src/system/runner.js';
import { sweep } from '../src/system/sweep.js';

// Before and after the integration run: remove what an earlier crashed run left behind
// (namespaces named l3t<run id>-*, processes naming /tmp/l3ha-test-* directories).

async function sweepTestLeftovers(): Promise<void> {
  const dirs = readdirSync('/tmp')
    .filter((n) => n.startsWith('l3ha-test-l3t'))
    .map((n) => join('/tmp', n));
  const r = await sweep(new ExecaRunner(), 'l3t', dirs);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (r.namespaces.length + r.pids.length > 0) {
    process.stderr.write(
      `sweeper: removed ${r.namespaces.length} namespace(s), ${r.pids.length} process(es)\n`,
    );
  }
}

export async function setup(): Promise<() => Promise<void>> {
  await sweepTestLeftovers();
  return sweepTestLeftovers;
}
