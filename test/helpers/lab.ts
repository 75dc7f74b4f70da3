import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { labDown, labUp } from '../../src/lab/lab.js';
import type { LabPlan } from '../../src/lab/plan.js';
import { ExecaRunner } from '../../src/system/runner.js';
import { sweep } from '../../src/system/sweep.js';

// A real two-node lab for one test file. Names carry a run id; teardown removes everything.

export const TEST_PREFIX = 'l3t';
export const runner = new ExecaRunner();

export async function startLab(routers: number, profile = 'fast'): Promise<LabPlan> {
  const runId = `${TEST_PREFIX}${randomBytes(3).toString('hex')}`;
  const dir = `/tmp/l3ha-test-${runId}`;
  try {
    return (await labUp(runner, { runId, dir, routers, profile, timeoutMs: 60_000 })).plan;
  } catch (err) {
    await sweep(runner, `${runId}-`, [dir]);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

export async function stopLab(plan: LabPlan | undefined): Promise<void> {
  if (plan) await labDown(runner, plan);
}

// Runs a command inside a namespace; never throws, returns the exit code and output.
export async function inNs(ns: string, cmd: string, args: string[], timeoutMs = 30_000) {
  const r = await execa('ip', ['netns', 'exec', ns, cmd, ...args], { reject: false, timeout: timeoutMs });
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

export const NETCAT = fileURLToPath(new URL('../../dist/lab/netcat.js', import.meta.url));

// A TCP server inside a namespace; returns a stopper (kills it by pid).
export async function tcpServer(ns: string, port: number): Promise<() => void> {
  const child: ChildProcess = spawn(
    'ip',
    ['netns', 'exec', ns, process.execPath, NETCAT, 'serve', String(port)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (c) => reject(new Error(`tcp server in ${ns} exited ${c}`)));
  });
  return () => child.kill('SIGKILL');
}

export async function tcpAsk(ns: string, host: string, port: number): Promise<string | undefined> {
  const r = await inNs(ns, process.execPath, [NETCAT, 'ask', host, String(port)], 10_000);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

// Pings at 100 Hz for `count` probes; returns sent/received.
export async function pingBurst(ns: string, host: string, count: number) {
  const r = await inNs(ns, 'ping', ['-n', '-q', '-i', '0.01', '-W', '1', '-c', String(count), host], 120_000);
  const m = /(\d+) packets transmitted, (\d+) received/.exec(r.stdout);
  return { sent: Number(m?.[1] ?? 0), received: Number(m?.[2] ?? 0) };
}

// Starts a 100 Hz ping in the background; stop() returns sent/received and the longest gap.
export function pingBackground(ns: string, host: string) {
  const child = execa('ip', ['netns', 'exec', ns, 'ping', '-n', '-D', '-O', '-i', '0.01', '-W', '1', host], {
    reject: false,
    buffer: true,
  });
  // Replies so far, so a test waits for traffic (a condition), not for a stretch of time.
  let replies = 0;
  let wake: (() => void) | undefined;
  child.stdout?.on('data', (b: Buffer) => {
    replies += (String(b).match(/ bytes from /g) ?? []).length;
    wake?.();
  });
  return {
    replies: () => replies,
    // Resolves once `more` further replies have come (traffic flows), or throws after timeoutMs.
    async flowing(more = 20, timeoutMs = 30_000): Promise<void> {
      const want = replies + more;
      const deadline = Date.now() + timeoutMs;
      while (replies < want) {
        if (Date.now() > deadline) throw new Error(`ping ${host}: ${replies} replies, ${want} awaited`);
        await new Promise<void>((ok) => {
          wake = ok;
          setTimeout(ok, 200).unref();
        });
      }
    },
    async stop() {
      child.kill('SIGINT');
      const r = await child;
      const out = String(r.stdout);
      const times = [...out.matchAll(/^\[(\d+\.\d+)\] \d+ bytes from/gm)].map((m) => Number(m[1]));
      let gap = 0;
      for (let i = 1; i < times.length; i++) gap = Math.max(gap, (times[i] ?? 0) - (times[i - 1] ?? 0));
      const m = /(\d+) packets transmitted, (\d+) received/.exec(out);
      return { sent: Number(m?.[1] ?? 0), received: Number(m?.[2] ?? 0), maxGapMs: Math.round(gap * 1000) };
    },
  };
}
