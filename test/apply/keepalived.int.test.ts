import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killPid, reloadKeepalived, startKeepalived, stopKeepalived } from '../../src/apply/keepalived.js';
import { asL3haError } from '../../src/errors.js';
import { seeKeepalived } from '../../src/observe/router.js';
import type { ProcId } from '../../src/plan/observed.js';
import { procFacts, startOf } from '../../src/system/proc-identity.js';
import { pidExists } from '../../src/system/process.js';
import { makeOwnDir } from '../../src/system/sweep.js';
import { runner, TEST_PREFIX } from '../helpers/lab.js';

// Process identity against real processes: a non-root process that fakes keepalived's
// command line, a root one that is not keepalived, and a real keepalived named with a
// wrong start time are never taken for the router's keepalived, and never signalled.

const BIN = '/usr/sbin/keepalived';
const id = `${TEST_PREFIX}${randomBytes(3).toString('hex')}`;
const dir = `/tmp/l3ha-test-${id}`;
const ns = `${id}-ident`;
const conf = join(dir, 'keepalived.conf');
const paths = {
  pidFile: join(dir, 'run', 'k.pid'),
  vrrpPidFile: join(dir, 'run', 'k-vrrp.pid'),
  loadedFile: join(dir, 'keepalived.loaded'),
};
const target = { binary: BIN, conf };
const children: ResultPromise[] = [];

async function waitFor(test: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !test()) await sleep(20);
  return test();
}

// A process whose argv is "/usr/sbin/keepalived -f /dev/null <our conf>" (tail under a
// borrowed argv[0]), as the given user (setpriv) or as root.
async function faker(asNobody: boolean): Promise<ProcId> {
  const script = `exec -a ${BIN} tail -f /dev/null ${conf}`;
  const prefix = asNobody ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
  const cmd = [...prefix, 'bash', '-c', script];
  const child = execa(cmd[0] as string, cmd.slice(1), { reject: false, stdio: 'ignore' });
  children.push(child);
  const pid = child.pid as number;
  expect(await waitFor(() => procFacts(pid)?.argv[0] === BIN && procFacts(pid)?.exe !== undefined)).toBe(
    true,
  );
  return { pid, start: startOf(pid) as number };
}

beforeAll(async () => {
  makeOwnDir(dir);
  mkdirSync(join(dir, 'run'));
  // A world-readable config, so the faker as nobody can name it.
  writeFileSync(
    conf,
    'global_defs {\n  router_id ident\n}\nvrrp_instance v {\n  state BACKUP\n  interface d0\n' +
      '  virtual_router_id 51\n  priority 100\n  advert_int 1\n  nopreempt\n' +
      '  virtual_ipaddress {\n    169.254.77.1/32\n  }\n}\n',
    { mode: 0o644 },
  );
  await runner.run('ip', ['netns', 'add', ns]);
  await runner.run('ip', ['-n', ns, 'link', 'add', 'd0', 'type', 'veth', 'peer', 'name', 'd1']);
  await runner.run('ip', ['-n', ns, 'link', 'set', 'd1', 'up']);
  await runner.run('ip', ['-n', ns, 'link', 'set', 'd0', 'up']);
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await Promise.all(children);
  for (const f of [paths.pidFile, paths.vrrpPidFile]) {
    const pid = existsSync(f) ? Number(readFileSync(f, 'utf8')) : 0;
    if (pid > 1 && procFacts(pid)?.argv.includes(conf)) process.kill(pid, 'SIGKILL');
  }
  await runner.run('ip', ['netns', 'del', ns], { check: false });
  rmSync(dir, { recursive: true, force: true });
});

describe('keepalived identity', () => {
  it('does not take a non-root process with a faked command line for keepalived, nor signal it', async () => {
    const fake = await faker(true);
    expect(procFacts(fake.pid)?.uid).toEqual({ real: 65534, effective: 65534 });
    const seen = seeKeepalived(fake.pid, { binary: BIN, conf, recorded: [fake] });
    expect(seen.alive).toBe(false);
    expect(seen.refused).toContain('not root');
    // Its own start time, as if l3ha had recorded it: still refused, and still running.
    expect(await stopKeepalived(target, [fake], 300)).toEqual([expect.stringContaining('SIGTERM')]);
    expect(await killPid(target, fake)).toEqual([expect.stringContaining('SIGKILL')]);
    const hup = await reloadKeepalived(target, fake, paths.loadedFile, 'h').catch(asL3haError);
    expect(hup?.code).toBe('L3HA_NOT_OUR_PROCESS');
    expect(existsSync(paths.loadedFile)).toBe(false);
    await sleep(100);
    // Still the same live process: nothing was delivered.
    expect(pidExists(fake.pid)).toBe(true);
    expect(procFacts(fake.pid)).toMatchObject({ start: fake.start, state: 'S' });
  });

  it('does not take a root process that is not the keepalived binary for keepalived', async () => {
    const fake = await faker(false);
    const seen = seeKeepalived(fake.pid, { binary: BIN, conf });
    expect(seen.alive).toBe(false);
    expect(seen.refused).toContain('tail');
    expect(await stopKeepalived(target, [fake], 300)).toHaveLength(1);
    expect(startOf(fake.pid)).toBe(fake.start);
  });

  it('signals a real keepalived only under the start time it was recorded with', async () => {
    const procs = await startKeepalived(runner, { ...target, ns, conf, ...paths, hash: 'h1' });
    expect(procs).toHaveLength(2);
    const [main] = procs as [ProcId, ProcId];
    expect(seeKeepalived(main.pid, { binary: BIN, conf, recorded: procs })).toMatchObject({
      alive: true,
      start: main.start,
    });
    const wrong = { pid: main.pid, start: main.start + 1 };
    const seen = seeKeepalived(main.pid, { binary: BIN, conf, recorded: [wrong] });
    expect(seen.alive).toBe(false);
    expect(seen.refused).toContain('reused');
    const hup = await reloadKeepalived(target, wrong, paths.loadedFile, 'h2').catch(asL3haError);
    expect(hup?.code).toBe('L3HA_NOT_OUR_PROCESS');
    expect(readFileSync(paths.loadedFile, 'utf8').trim()).toBe('h1');
    expect(await stopKeepalived(target, [wrong], 300)).toEqual([expect.stringContaining('reused')]);
    expect(await killPid(target, wrong)).toHaveLength(1);
    expect(procs.every((p) => startOf(p.pid) === p.start)).toBe(true);
    // Under its own start time it is ours: the reload and the stop go through.
    await reloadKeepalived(target, main, paths.loadedFile, 'h2');
    expect(readFileSync(paths.loadedFile, 'utf8').trim()).toBe('h2');
    expect(await stopKeepalived(target, procs)).toEqual([]);
    expect(await waitFor(() => procs.every((p) => startOf(p.pid) !== p.start))).toBe(true);
  });
});
