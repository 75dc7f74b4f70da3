import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { cmdline, isAlive, readPidFile, signal, uptimeSeconds } from '../../src/system/process.js';

// Process facts by pid, against real processes.

const dir = mkdtempSync(join(tmpdir(), 'l3ha-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function waitFor(test: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (test()) return true;
    await sleep(10);
  }
  return test();
}

describe('process identity', () => {
  it('knows this process: alive, its argv, a small uptime', () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(cmdline(process.pid)?.[0]).toContain('node');
    expect(uptimeSeconds(process.pid)).toBeGreaterThanOrEqual(0);
  });

  it('calls a process gone once it exited and a zombie not alive', async () => {
    // `sleep 0` exits at once; its parent execs into `sleep 5`, which never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 5'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const pid = await new Promise<number>((resolve) =>
      parent.stdout.once('data', (b) => resolve(Number(String(b)))),
    );
    expect(await waitFor(() => !isAlive(pid))).toBe(true);
    expect(signal(parent.pid as number, 'SIGKILL')).toBe(true);
    expect(await waitFor(() => !isAlive(parent.pid as number))).toBe(true);
    expect(cmdline(2 ** 22 + 1)).toBeUndefined();
    expect(signal(2 ** 22 + 1, 'SIGTERM')).toBe(false);
  });

  it('reads a pid file, refusing garbage, pid 1 and missing files', () => {
    const f = join(dir, 'x.pid');
    writeFileSync(f, '4242\n');
    expect(readPidFile(f)).toBe(4242);
    for (const bad of ['', 'abc', '1', '-5', '0']) {
      writeFileSync(f, bad);
      expect(readPidFile(f), bad).toBeUndefined();
    }
    expect(readPidFile(join(dir, 'missing.pid'))).toBeUndefined();
  });
});
