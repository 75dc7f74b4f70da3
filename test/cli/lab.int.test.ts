import { existsSync, readFileSync, rmSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI, l3ha } from '../helpers/cli.js';
import { runner, TEST_PREFIX } from '../helpers/lab.js';

// `l3ha lab up|status|down` as an operator runs them.

describe('l3ha lab', () => {
  it('comes up with one MASTER per router, reports it, and goes down leaving nothing', async () => {
    const runId = `${TEST_PREFIX}cli`;
    const dir = `/tmp/l3ha-test-${runId}`;
    try {
      const up = await l3ha(['lab', 'up', '--routers', '2', '--dir', dir, '--run-id', runId]);
      expect(up.code, up.stderr).toBe(0);
      expect(up.stdout).toMatch(/lab l3tcli up in [\d.]+ s: 2 router\(s\), profile fast/);
      const status = await l3ha(['lab', 'status', '--dir', dir, '--json']);
      expect(status.code).toBe(0);
      const s = JSON.parse(status.stdout) as { routers: { masters: string[] }[] };
      expect(s.routers.map((r) => r.masters.length)).toEqual([1, 1]);
      const cfg = readFileSync(`${dir}/a/agent.yaml`, 'utf8');
      expect(cfg).toContain(`namespacePrefix: ${runId}-a-`);
      // Nothing is bridged to a host interface: the bridges live in the fabric namespace.
      const rootBridges = await runner.run('ip', ['-br', 'link', 'show', 'type', 'bridge']);
      expect(rootBridges.stdout).not.toMatch(/br-(ha|ex|int)/);
      expect((await l3ha(['lab', 'up', '--dir', dir])).code).toBe(2);
    } finally {
      const down = await l3ha(['lab', 'down', '--dir', dir]);
      expect(down.code).toBe(0);
    }
    expect(existsSync(dir)).toBe(false);
    expect((await runner.run('ip', ['netns', 'list'])).stdout).not.toContain(runId);
    expect((await runner.run('pgrep', ['-f', dir], { check: false })).stdout.trim()).toBe('');
  });

  it('refuses bad arguments with exit 2 and creates nothing', async () => {
    const dir = `/tmp/l3ha-test-${TEST_PREFIX}bad`;
    for (const args of [
      ['--routers', '0'],
      ['--routers', '251'],
      ['--profile', 'gold'],
      ['--run-id', 'Bad;id'],
    ]) {
      const r = await l3ha(['lab', 'up', '--dir', dir, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('L3HA_BAD_ARGUMENT');
      expect(existsSync(dir)).toBe(false);
    }
  });

  it('sweep --dir refuses a directory that l3ha did not make for a run, killing nothing', async () => {
    // A process whose argv names a path under /usr/lib: a sweep of that dir would kill it.
    const sleeper = execa('tail', ['-f', '/usr/lib/os-release'], { reject: false });
    try {
      const r = await l3ha(['sweep', '--dir', '/usr/lib']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('L3HA_NOT_RUN_DIR');
      expect(r.stderr).toContain('--dir');
      expect(r.stderr).toContain('/usr/lib');
      expect(() => process.kill(sleeper.pid as number, 0)).not.toThrow();
    } finally {
      sleeper.kill('SIGKILL');
      await sleeper;
    }
  });

  it('a lab up that fails, or is stopped by SIGTERM while it builds, removes everything it started', async () => {
    const left = async (runId: string, dir: string) => ({
      dir: existsSync(dir),
      netns: (await runner.run('ip', ['netns', 'list'])).stdout.includes(runId),
      procs: (await runner.run('pgrep', ['-f', dir], { check: false })).stdout.trim(),
    });
    const none = { dir: false, netns: false, procs: '' };
    // Forced failure: the fabric namespace's name is taken before the lab makes it.
    const runId = `${TEST_PREFIX}fail`;
    const dir = `/tmp/l3ha-test-${runId}`;
    await runner.run('ip', ['netns', 'add', `${runId}-fab`]);
    try {
      const up = await l3ha(['lab', 'up', '--routers', '2', '--dir', dir, '--run-id', runId]);
      expect(up.code, up.stderr).toBe(1);
      expect(up.stderr).toContain('[L3HA_LAB_FAILED]');
      expect(up.stderr).toContain('everything it started was removed');
      expect(up.stderr).not.toMatch(/^\s+at /m);
      expect(await left(runId, dir)).toEqual(none);
    } finally {
      await l3ha(['sweep', '--prefix', `${runId}-`]);
    }
    // SIGTERM once the agents are starting: the run removes its lab and exits 130.
    const runId2 = `${TEST_PREFIX}term`;
    const dir2 = `/tmp/l3ha-test-${runId2}`;
    const child = execa(
      process.execPath,
      [CLI, 'lab', 'up', '--routers', '6', '--dir', dir2, '--run-id', runId2],
      {
        reject: false,
      },
    );
    try {
      await new Promise<void>((ok, fail) => {
        let text = '';
        child.stderr?.on('data', (b: Buffer) => {
          text += String(b);
          if (text.includes('starting agents')) ok();
        });
        child.once('exit', () => fail(new Error(`lab up exited early: ${text}`)));
      });
      child.kill('SIGTERM');
      const r = await child;
      expect(r.exitCode, String(r.stderr)).toBe(130);
      expect(String(r.stderr)).toContain(`SIGTERM: removing lab ${runId2}`);
      expect(await left(runId2, dir2)).toEqual(none);
    } finally {
      child.kill('SIGKILL');
      await l3ha(['sweep', '--prefix', `${runId2}-`]);
      rmSync(dir2, { recursive: true, force: true });
    }
  });
});
