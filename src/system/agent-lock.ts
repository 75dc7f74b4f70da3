import { createHash } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { L3haError } from '../errors.js';
import { atomicWrite } from './files.js';

// One agent per config. The lock is an abstract unix socket named after runDir: the
// kernel lets one process bind it and frees it when that process dies, however it dies,
// so there is no stale lock to take over and no race between two agents starting at once.
// runDir/agent.lock names the holder's pid, for the error message and for people.

export const AGENT_LOCK = 'agent.lock';

export async function lockAgent(runDir: string): Promise<{ release(): void }> {
  const file = join(runDir, AGENT_LOCK);
  const name = `\0l3ha-agent-${createHash('sha256').update(resolve(runDir)).digest('hex').slice(0, 32)}`;
  const server = createServer();
  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen({ path: name }, () => ok());
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    const pid = holder(file);
    throw new L3haError(
      'L3HA_AGENT_RUNNING',
      `an agent${pid === undefined ? '' : ` (pid ${pid})`} already runs on this config`,
      { file, ...(pid === undefined ? {} : { value: pid }) },
    );
  }
  server.unref();
  await atomicWrite(file, `${process.pid}\n`);
  return {
    release: () => {
      server.close();
      try {
        if (holder(file) === process.pid) unlinkSync(file);
      } catch {
        // already gone
      }
    },
  };
}

function holder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
