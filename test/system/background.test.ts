import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startDaemon } from '../../src/system/background.js';
import { isAlive, readPidFile, signal } from '../../src/system/process.js';
import { runSync } from '../../src/system/run-sync.js';

const dir = mkdtempSync(join(tmpdir(), 'l3ha-background-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('background processes', () => {
  it('starts a detached daemon, writes its pid file, appends its output to the log, and stops by pid', async () => {
    const log = join(dir, 'd.log');
    const pidFile = join(dir, 'd.pid');
    const pid = await startDaemon(['sh', '-c', 'echo started; exec sleep 30'], log, pidFile);
    expect(readPidFile(pidFile)).toBe(pid);
    expect(isAlive(pid)).toBe(true);
    const deadline = Date.now() + 5000;
    while (!readFileSync(log, 'utf8').includes('started') && Date.now() < deadline) await sleep(10);
    expect(readFileSync(log, 'utf8')).toContain('started');
    signal(pid, 'SIGKILL');
    while (isAlive(pid) && Date.now() < deadline) await sleep(10);
    expect(isAlive(pid)).toBe(false);
  });

  it('runs a short command without a shell and never throws', () => {
    expect(runSync('echo', ['a;b', '$(x)'])).toEqual({ stdout: 'a;b $(x)\n', stderr: '', code: 0 });
    expect(runSync('false', []).code).toBe(1);
    expect(runSync('/nonexistent/l3ha-test', []).code).toBe(-1);
  });
});
