import { existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPid, startAgent, stopAgent, waitNodeBuilt } from '../../src/lab/nodes.js';
import type { LabNode, LabPlan, LabRouter } from '../../src/lab/plan.js';
import { EXT_FLOAT_SIDE, EXT_GATEWAY } from '../../src/lab/plan.js';
import { masterOf, waitOneMaster } from '../../src/lab/roles.js';
import { readPidFile } from '../../src/system/process.js';
import { sweep } from '../../src/system/sweep.js';
import { l3ha } from '../helpers/cli.js';
import {
  inNs,
  pingBackground,
  pingBurst,
  runner,
  startLab,
  stopLab,
  tcpAsk,
  tcpServer,
} from '../helpers/lab.js';

// Two real agents on one machine act as two nodes of a pair, with real namespaces,
// keepalived, nft and traffic. The tests run in order against one 3-router lab.

let plan: LabPlan;
const stoppers: (() => void)[] = [];

beforeAll(async () => {
  plan = await startLab(3, 'fast');
});

afterAll(async () => {
  for (const s of stoppers) s();
  await stopLab(plan);
});

const node = (name: 'a' | 'b'): LabNode => plan.nodes.find((n) => n.name === name) as LabNode;
const router = (id: string): LabRouter => plan.routers.find((r) => r.id === id) as LabRouter;
const pids = (n: LabNode, id: string) => [readPidFile(join(n.dir, 'run', `keepalived-${id}.pid`))];
async function master(id: string): Promise<LabNode> {
  const m = await masterOf(runner, plan, router(id));
  expect(m, `${id} masters`).toHaveLength(1);
  return node(m[0] as 'a' | 'b');
}
const other = (n: LabNode) => node(n.name === 'a' ? 'b' : 'a');

async function gwMac(n: LabNode, id: string): Promise<string> {
  const r = await runner.run('ip', ['-j', '-n', `${n.nsPrefix}${id}`, 'link', 'show', 'dev', 'gw']);
  return (JSON.parse(r.stdout) as { address: string }[])[0]?.address ?? '';
}

// The MACs that answer ARP for an address on the external segment.
async function arpAnswerers(ip: string): Promise<string[]> {
  const r = await inNs(plan.ext, 'arping', ['-c', '3', '-w', '3', '-I', 'eth0', ip]);
  return [
    ...new Set([...r.stdout.matchAll(/\[([0-9A-Fa-f:]{17})\]/g)].map((m) => (m[1] ?? '').toLowerCase())),
  ];
}

describe('l3ha agent on a two-node pair', () => {
  it('gives every router exactly one MASTER, and its floating IP answers ping and TCP, and SNAT works', async () => {
    const roles = await waitOneMaster(runner, plan, 30_000);
    expect(roles).toHaveLength(3);
    for (const r of plan.routers) {
      expect((await pingBurst(plan.ext, r.floating, 20)).received, `${r.id} ping`).toBeGreaterThanOrEqual(19);
      stoppers.push(await tcpServer(r.vmFloating, 7001));
      // The VM sees the external client's real address: DNAT only, no SNAT inbound.
      expect(await tcpAsk(plan.ext, r.floating, 7001), `${r.id} tcp`).toBe(`::ffff:${EXT_FLOAT_SIDE} hello`);
    }
    stoppers.push(await tcpServer(plan.ext, 7002));
    for (const r of plan.routers) {
      // The floating-IP VM leaves as its floating IP; the other VM as the router's gateway address.
      expect(await tcpAsk(r.vmFloating, EXT_GATEWAY, 7002)).toBe(`::ffff:${r.floating} hello`);
      expect(await tcpAsk(r.vmSnat, EXT_GATEWAY, 7002)).toBe(`::ffff:${r.gateway} hello`);
    }
  });

  it('reloads only the changed router; the others keep their pids and lose no probes', async () => {
    const before = Object.fromEntries(
      plan.nodes.flatMap((n) => plan.routers.map((r) => [`${n.name}/${r.id}`, pids(n, r.id)])),
    );
    const probes = [
      pingBackground(plan.ext, router('r1').floating),
      pingBackground(plan.ext, router('r3').floating),
    ];
    await Promise.all(probes.map((p) => p.flowing()));
    const offsets = plan.nodes.map((n) => readFileSync(n.logFile, 'utf8').length);
    for (const n of plan.nodes) {
      const f = join(n.dir, 'routers.d', 'r2.yaml');
      writeFileSync(
        f,
        readFileSync(f, 'utf8').replace(
          'snat: true',
          'snat: true\nroutes: [{ to: 192.168.50.0/24, via: 10.2.0.254 }]',
        ),
      );
    }
    // Wait until both nodes reloaded r2's keepalived, then for more traffic past the reload.
    const reloaded = () =>
      plan.nodes.every((n, i) =>
        /"router":"r2","action":"reloadKeepalived/.test(readFileSync(n.logFile, 'utf8').slice(offsets[i])),
      );
    const deadline = Date.now() + 15_000;
    while (!reloaded() && Date.now() < deadline) await sleep(100);
    expect(reloaded()).toBe(true);
    await Promise.all(probes.map((p) => p.flowing(100)));
    const results = await Promise.all(probes.map((p) => p.stop()));
    for (const r of results) expect(r.sent - r.received, JSON.stringify(r)).toBe(0);
    for (const n of plan.nodes) {
      for (const r of plan.routers)
        expect(pids(n, r.id), `${n.name}/${r.id}`).toEqual(before[`${n.name}/${r.id}`]);
      const log = readFileSync(n.logFile, 'utf8');
      expect(log).toMatch(/"router":"r2","action":"reloadKeepalived/);
      expect(log).not.toMatch(/"router":"r[13]","action":"reloadKeepalived/);
    }
    const m = await master('r2');
    const routes = await runner.run('ip', ['-n', `${m.nsPrefix}r2`, 'route']);
    expect(routes.stdout).toContain('192.168.50.0/24 via 10.2.0.254');
  });

  it('survives kill -9 of the MASTER node agent with no transition and no lost probe, and adopts keepalived', async () => {
    const m = await master('r1');
    const before = plan.routers.map((r) => pids(m, r.id));
    const probe = pingBackground(plan.ext, router('r1').floating);
    await probe.flowing();
    const killed = agentPid(m) as number;
    process.kill(killed, 'SIGKILL');
    const dead = Date.now() + 10_000;
    while (agentPid(m) === killed && Date.now() < dead) await sleep(50);
    await startAgent(m);
    // The new agent has looked at every router; traffic still flows after that.
    expect(await waitNodeBuilt(m, plan.routers.length, 30_000)).toBe(true);
    await probe.flowing(100);
    const r = await probe.stop();
    expect(r.sent - r.received, JSON.stringify(r)).toBe(0);
    expect((await master('r1')).name).toBe(m.name);
    expect(plan.routers.map((x) => pids(m, x.id))).toEqual(before);
    const log = readFileSync(m.logFile, 'utf8').split('agent started').at(-1) ?? '';
    expect(log).not.toContain('startKeepalived');
  });

  it('after kill -9 of keepalived on the MASTER: the peer takes over, stale addresses go, keepalived respawns as BACKUP, one MAC answers', async () => {
    const r1 = router('r1');
    const old = await master('r1');
    const [pid] = pids(old, 'r1');
    const vrrp = readPidFile(join(old.dir, 'run', 'keepalived-r1-vrrp.pid'));
    process.kill(pid as number, 'SIGKILL');
    process.kill(vrrp as number, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const now = pids(old, 'r1')[0];
      if (now !== pid && (await masterOf(runner, plan, r1)).length === 1) break;
      await sleep(100);
    }
    expect(await masterOf(runner, plan, r1)).toEqual([other(old).name]);
    expect(pids(old, 'r1')[0]).not.toBe(pid);
    const addrs = await runner.run('ip', ['-n', `${old.nsPrefix}r1`, '-br', 'addr', 'show', 'dev', 'gw']);
    expect(addrs.stdout).not.toContain(r1.floating);
    expect(addrs.stdout).not.toContain(r1.gateway);
    const status = JSON.parse((await l3ha(['status', '--config', old.config, '--json'])).stdout);
    expect(status.routers.find((x: { id: string }) => x.id === 'r1').role).toBe('BACKUP');
    expect(await arpAnswerers(r1.floating)).toEqual([await gwMac(other(old), 'r1')]);
    expect((await pingBurst(plan.ext, r1.floating, 20)).received).toBeGreaterThanOrEqual(19);
  });

  it('keeps traffic flowing when a whole node dies (agent and keepalived killed, links down)', async () => {
    const r3 = router('r3');
    const dead = await master('r3');
    const probe = pingBackground(plan.ext, r3.floating);
    await probe.flowing();
    process.kill(agentPid(dead) as number, 'SIGKILL');
    for (const r of plan.routers) {
      for (const f of ['', '-vrrp']) {
        const p = readPidFile(join(dead.dir, 'run', `keepalived-${r.id}${f}.pid`));
        if (p) process.kill(p, 'SIGKILL');
      }
    }
    const peers = plan.routers.flatMap((r) => [
      `h${dead.index}-${r.k}`,
      `g${dead.index}-${r.k}`,
      `i${dead.index}-${r.k}-n1`,
    ]);
    for (const p of peers) await runner.run('ip', ['-n', plan.fabric, 'link', 'set', p, 'down']);
    // The survivor takes over; then a second of replies through it.
    const over = Date.now() + 15_000;
    while (!(await masterOf(runner, plan, r3)).includes(other(dead).name) && Date.now() < over)
      await sleep(100);
    await probe.flowing(100);
    const res = await probe.stop();
    expect(res.received).toBeGreaterThan(0);
    expect(res.maxGapMs, JSON.stringify(res)).toBeLessThan(3000);
    // The dead node's kernel still holds stale addresses, but its links are down: only
    // the survivor is reachable, and it is MASTER.
    expect(await masterOf(runner, plan, r3)).toContain(other(dead).name);
    for (const r of plan.routers) {
      expect((await pingBurst(plan.ext, r.floating, 10)).received, r.id).toBeGreaterThanOrEqual(9);
    }
    // Reboot the node: its kernel state is gone (namespaces wiped), then the agent starts.
    // It must rebuild everything as BACKUP and not take traffic back (nopreempt).
    await sweep(runner, dead.nsPrefix, []);
    await startAgent(dead);
    await waitOneMaster(runner, plan, 20_000);
    // The rebooted node has rebuilt every router (a live keepalived each) and taken none back.
    expect(await waitNodeBuilt(dead, plan.routers.length, 30_000)).toBe(true);
    for (const r of plan.routers) expect(await masterOf(runner, plan, r), r.id).toEqual([other(dead).name]);
  });

  it('keeps a running router untouched when its file turns invalid', async () => {
    const before = plan.nodes.map((n) => pids(n, 'r2'));
    const m = await master('r2');
    const f = join(m.dir, 'routers.d', 'r2.yaml');
    const good = readFileSync(f, 'utf8');
    const offset = readFileSync(m.logFile, 'utf8').length;
    const refused = () =>
      /"code":"L3HA_INVALID_VALUE".*"field":"vrid"/.test(readFileSync(m.logFile, 'utf8').slice(offset));
    writeFileSync(f, good.replace('vrid: 2', 'vrid: 0'));
    const deadline = Date.now() + 15_000;
    while (!refused() && Date.now() < deadline) await sleep(100);
    expect(refused()).toBe(true);
    expect(plan.nodes.map((n) => pids(n, 'r2'))).toEqual(before);
    expect((await pingBurst(plan.ext, router('r2').floating, 10)).received).toBeGreaterThanOrEqual(9);
    writeFileSync(f, good);
  });

  it('restarted with a typo in a running router file and a new file taking its VRID, runs it at its saved spec', async () => {
    const n = node('a');
    const f = join(n.dir, 'routers.d', 'r2.yaml');
    const intruder = join(n.dir, 'routers.d', 'r9.yaml');
    const good = readFileSync(f, 'utf8');
    const before = pids(n, 'r2');
    const nat = async () =>
      (await runner.run('ip', ['netns', 'exec', `${n.nsPrefix}r2`, 'nft', 'list', 'table', 'ip', 'l3ha']))
        .stdout;
    const addrs = async () => (await runner.run('ip', ['-n', `${n.nsPrefix}r2`, '-br', 'addr'])).stdout;
    const [natBefore, addrsBefore] = [await nat(), await addrs()];
    await stopAgent(n);
    writeFileSync(f, good.replace('vrid:', 'vridd:'));
    // The new file reuses r2's VRID (and its addresses): the router that ran wins.
    writeFileSync(intruder, good.replace(/^id: r2$/m, 'id: r9'));
    const offset = readFileSync(n.logFile, 'utf8').length;
    const since = () => readFileSync(n.logFile, 'utf8').slice(offset);
    await startAgent(n);
    // Every router, r2 included, is managed again (status lists it with its keepalived).
    expect(await waitNodeBuilt(n, plan.routers.length, 30_000)).toBe(true);
    expect(since()).toMatch(/"code":"L3HA_UNKNOWN_KEY"/);
    expect(since()).toMatch(/"code":"L3HA_DUPLICATE_VRID"[^\n]*r9\.yaml/);
    expect(since()).not.toMatch(/"router":"r2","action":/);
    expect(pids(n, 'r2')).toEqual(before);
    expect(await nat()).toBe(natBefore);
    expect(await addrs()).toBe(addrsBefore);
    expect(existsSync(`/run/netns/${n.nsPrefix}r9`)).toBe(false);
    expect((await pingBurst(plan.ext, router('r2').floating, 10)).received).toBeGreaterThanOrEqual(9);
    unlinkSync(intruder);
    writeFileSync(f, good);
    expect(await waitNodeBuilt(n, plan.routers.length, 30_000)).toBe(true);
    expect(pids(n, 'r2')).toEqual(before);
  });

  it('removes every trace of a router whose file is deleted', async () => {
    const r2 = router('r2');
    for (const n of plan.nodes) unlinkSync(join(n.dir, 'routers.d', 'r2.yaml'));
    const deadline = Date.now() + 15_000;
    const gone = () =>
      plan.nodes.every(
        (n) =>
          !existsSync(`/run/netns/${n.nsPrefix}r2`) &&
          !existsSync(join(n.dir, 'state/routers/r2')) &&
          !existsSync(join(n.dir, 'run/keepalived-r2.pid')),
      );
    while (!gone() && Date.now() < deadline) await sleep(100);
    expect(gone()).toBe(true);
    const procs = await runner.run('pgrep', ['-f', join(plan.dir, '[ab]/state/routers/r2/')], {
      check: false,
    });
    expect(procs.stdout.trim()).toBe('');
    const peers = await runner.run('ip', ['-n', plan.fabric, '-br', 'link']);
    expect(peers.stdout).not.toMatch(/^[hgi][12]-2\b/m);
    expect((await pingBurst(plan.ext, r2.floating, 5)).received).toBe(0);
    expect((await pingBurst(plan.ext, router('r1').floating, 10)).received).toBeGreaterThanOrEqual(9);
  });

  it('serves status on a root-only socket, and on SIGTERM leaves keepalived and traffic alone', async () => {
    const a = node('a');
    const sock = join(a.dir, 'run', 'agent.sock');
    expect(statSync(sock).mode & 0o777).toBe(0o600);
    const before = plan.routers
      .filter((r) => existsSync(join(a.dir, 'run', `keepalived-${r.id}.pid`)))
      .map((r) => pids(a, r.id));
    const probe = pingBackground(plan.ext, router('r1').floating);
    await probe.flowing();
    process.kill(agentPid(a) as number, 'SIGTERM');
    const gone = Date.now() + 10_000;
    while (agentPid(a) !== undefined && Date.now() < gone) await sleep(50);
    expect(agentPid(a)).toBeUndefined();
    const r = await probe.stop();
    expect(r.sent - r.received, JSON.stringify(r)).toBe(0);
    for (const p of before.flat()) expect(() => process.kill(p as number, 0)).not.toThrow();
    expect(readFileSync(a.logFile, 'utf8')).toContain('keepalived and the data plane stay up');
    await startAgent(a);
    const deadline = Date.now() + 20_000;
    while ((await masterOf(runner, plan, router('r1'))).length !== 1 && Date.now() < deadline)
      await sleep(100);
    expect(await masterOf(runner, plan, router('r1'))).toHaveLength(1);
  });

  it('refuses a second agent on the same config with exit 2, naming the first, which keeps serving', async () => {
    const a = node('a');
    // The agent the previous test restarted may still be starting: wait until it holds the lock.
    const lock = join(a.dir, 'run', 'agent.lock');
    const held = () => existsSync(lock) && readFileSync(lock, 'utf8').trim() === String(agentPid(a));
    const deadline = Date.now() + 30_000;
    while (!held() && Date.now() < deadline) await sleep(50);
    expect(held()).toBe(true);
    const first = agentPid(a);
    expect(first).toBeDefined();
    const second = await l3ha(['agent', '--config', a.config]);
    expect(second.code, second.stderr).toBe(2);
    expect(second.stderr).toContain('L3HA_AGENT_RUNNING');
    expect(second.stderr).toContain(`pid ${first}`);
    expect(agentPid(a)).toBe(first);
    expect(held()).toBe(true);
    const status = await l3ha(['status', '--config', a.config, '--json']);
    expect(status.code, status.stderr).toBe(0);
  });
});
