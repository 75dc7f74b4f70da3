import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { L3haError } from '../errors.js';
import { cmdline, isAlive } from './process.js';

// One agent per config: a lock file in runDir that names the holder's pid. It is made
// with link(2), so of two agents starting at once exactly one gets it. A lock left by an
// agent that died (its pid gone, or now some other program) is taken over.

export const AGENT_LOCK = 'agent.lock';

export function lockAgent(runDir: string): { release(): void } {
  const lock = join(runDir, AGENT_LOCK);
  const tmp = `${lock}.${process.pid}`;
  writeFileSync(tmp, `${process.pid}\n`, { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(tmp, lock);
        return {
          release: () => {
            if (holder(lock) === process.pid) unlinkSync(lock);
          },
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const pid = holder(lock);
      if (pid !== undefined && pid !== process.pid && isAgent(pid)) {
        throw new L3haError('L3HA_AGENT_RUNNING', `an agent (pid ${pid}) already runs on this config`, {
          file: lock,
          value: pid,
        });
      }
      unlinkSync(lock);
    }
    throw new L3haError('L3HA_AGENT_RUNNING', 'another agent took the lock while this one started', {
      file: lock,
    });
  } finally {
    unlinkSync(tmp);
  }
}

function holder(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

// A live process whose argv runs `l3ha agent`.
function isAgent(pid: number): boolean {
  return isAlive(pid) && (cmdline(pid)?.includes('agent') ?? false);
}
