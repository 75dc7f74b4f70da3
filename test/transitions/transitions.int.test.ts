import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlSocket } from '../../src/config/paths.js';
import { startAgent, stopAgent, waitNodeBuilt } from '../../src/lab/nodes.js';
import type { LabNode, LabPlan, LabRouter } from '../../src/lab/plan.js';
import { masterOf, waitOneMaster } from '../../src/lab/roles.js';
import { callControl } from '../../src/system/control-client.js';
import { readPidFile } from '../../src/system/process.js';
import { type JournalEntry, parseJournal } from '../../src/transitions/journal.js';
import { l3ha } from '../helpers/cli.js';
import { inNs, pingBurst, runner, startLab, stopLab } from '../helpers/lab.js';

// The transition path with real keepalived, nft, arping, conntrack and tcpdump.

let plan: LabPlan;
beforeAll(async () => {
  plan = await startLab(2, 'fast');
});
afterAll(async () => {
  await stopLab(plan);
});

const node = (name: 'a' | 'b'): LabNode => plan.nodes.find((n) => n.name === name) as LabNode;
const router = (id: string): LabRouter => plan.routers.find((r) => r.id === id) as LabRouter;
const other = (n: LabNode) => node(n.name === 'a' ? 'b' : 'a');
const journalOf = (n: LabNode, id: string): JournalEntry[] =>
  parseJournal(
    existsSync(join(n.dir, 'state/routers', id, 'transitions.jsonl'))
      ? readFileSync(join(n.dir, 'state/routers', id, 'transitions.jsonl'), 'utf8')
      : '',
  );
const journal = journalOf;
async function master(id: string): Promise<LabNode> {
  const m = await masterOf(runner, plan, router(id));
  expect(m).toHaveLength(1);
  return node(m[0] as 'a' | 'b');
}
async function mac(n: LabNode, id: string, dev: string): Promise<string> {
  const r = await runner.run('ip', ['-j', '-n', `${n.nsPrefix}${id}`, 'link', 'show', 'dev', dev]);
  return (JSON.parse(r.stdout) as { address: string }[])[0]?.address ?? '';
}

// Captures ARP on a fabric bridge: [epoch seconds, source MAC, announced IP] for each
// gratuitous ARP (a request whose sender and target are the same address).
function captureGarps(bridge: string) {
  const child = execa(
    'ip',
    ['netns', 'exec', plan.fabric, 'tcpdump', '-l', '-n', '-e', '-tt', '-i', bridge, 'arp'],
    {
      reject: false,
      buffer: true,
    },
  );
  return {
    async stop(): Promise<[number, string, string][]> {
      await sleep(200);
      child.kill('SIGINT');
      const out = String((await child).stdout);
      const rows: [number, string, string][] = [];
      for (const m of out.matchAll(
        /^(\d+\.\d+) (\S+) > .*Request who-has (\S+)(?: \([^)]*\))? tell (\S+),/gm,
      )) {
        if (m[3] === m[4]) rows.push([Number(m[1]), (m[2] ?? '').toLowerCase(), m[3] as string]);
      }
      return rows;
    },
  };
}
const metrics = async (n: LabNode) => (await fetch(`http://${n.metricsListen}/metrics`)).text();
const metric = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
};

describe('transitions', () => {
  it('after a forced failover the new MASTER journals the transition and a replay, and sends follow-up GARPs for every address', async () => {
    await waitOneMaster(runner, plan, 20_000);
    const r1 = router('r1');
    const old = await master('r1');
    const next = other(old);
    const ex = captureGarps('br-ex');
    const int = captureGarps('br-int');
    await sleep(300);
    // SIGTERM: keepalived sends a priority-0 advert and the peer takes over at once.
    process.kill(readPidFile(join(old.dir, 'run/keepalived-r1.pid')) as number, 'SIGTERM');
    await sleep(3500);
    const garps = [...(await ex.stop()), ...(await int.stop())];
    expect((await masterOf(runner, plan, r1)).includes(next.name)).toBe(true);
    const j = journal(next, 'r1');
    const t = j.filter((e) => e.event === 'transition' && e.to === 'MASTER').at(-1);
    expect(t?.from).toBe('BACKUP');
    expect(readFileSync(join(next.dir, 'state/routers/r1/state'), 'utf8').trim()).toBe('MASTER');
    const replay = j.filter((e) => e.event === 'replay').at(-1);
    expect(replay?.replayMs).toBeGreaterThan(0);
    expect(replay?.errors).toEqual([]);
    // keepalived's own bursts come at +0 and +1 s; l3ha's follow-up is due at +2 s after the
    // MASTER was observed. Every router address must be announced in that window, from
    // the new MASTER's interfaces.
    const t0 = Date.parse(t?.time ?? '') / 1000;
    const gwMac = await mac(next, 'r1', 'gw');
    const qrMac = await mac(next, 'r1', 'qr-n1');
    for (const [ip, m] of [
      [r1.gateway, gwMac],
      [r1.floating, gwMac],
      [r1.internalGw, qrMac],
    ] as const) {
      const followUp = garps.filter(
        ([ts, src, addr]) => addr === ip && src === m && ts > t0 + 1.7 && ts < t0 + 3.2,
      );
      expect(
        followUp.length,
        `follow-up GARP for ${ip}; saw ${JSON.stringify(garps.filter((g) => g[2] === ip))}`,
      ).toBeGreaterThanOrEqual(1);
    }
    await waitOneMaster(runner, plan, 20_000);
  });

  it('ignores a stale MASTER hook replayed by hand on the BACKUP: no addresses, no GARPs', async () => {
    const r2 = router('r2');
    const backup = other(await master('r2'));
    const before = journal(backup, 'r2').length;
    const cap = captureGarps('br-ex');
    await sleep(300);
    const r = await l3ha([
      'notify',
      '--state-dir',
      join(backup.dir, 'state'),
      '--run-dir',
      join(backup.dir, 'run'),
      'INSTANCE',
      'l3ha_r2',
      'MASTER',
      '100',
    ]);
    expect(r.code).toBe(0);
    await sleep(3000);
    const garps = await cap.stop();
    const backupMac = await mac(backup, 'r2', 'gw');
    expect(garps.filter(([, src]) => src === backupMac)).toEqual([]);
    const addrs = await runner.run('ip', ['-n', `${backup.nsPrefix}r2`, '-br', 'addr', 'show', 'dev', 'gw']);
    expect(addrs.stdout).not.toContain(r2.floating);
    const added = journal(backup, 'r2').slice(before);
    expect(added.map((e) => e.event)).toEqual(['hook']);
    expect(await masterOf(runner, plan, r2)).toEqual([other(backup).name]);
  });

  it('restores a NAT table flushed by hand on the MASTER within auditSeconds', async () => {
    // No event reports a NAT table flushed by hand: only the audit bounds how late it is seen.
    // The MASTER's agent restarts with a 2 s audit (a restart never moves a router).
    const r2 = router('r2');
    const m = await master('r2');
    writeFileSync(
      m.config,
      readFileSync(m.config, 'utf8').replace(/^auditSeconds: \d+$/m, 'auditSeconds: 2'),
    );
    await stopAgent(m);
    await startAgent(m);
    expect(await waitNodeBuilt(m, plan.routers.length, 30_000)).toBe(true);
    expect((await master('r2')).name).toBe(m.name);
    const ns = `${m.nsPrefix}r2`;
    const good = (await inNs(ns, 'nft', ['list', 'table', 'ip', 'l3ha'])).stdout;
    await inNs(ns, 'nft', ['flush', 'table', 'ip', 'l3ha']);
    expect((await inNs(ns, 'nft', ['list', 'table', 'ip', 'l3ha'])).stdout).not.toBe(good);
    const deadline = Date.now() + 15_000; // one audit (2 s) plus a resync (5 s), with room
    while (Date.now() < deadline && (await inNs(ns, 'nft', ['list', 'table', 'ip', 'l3ha'])).stdout !== good)
      await sleep(200);
    expect((await inNs(ns, 'nft', ['list', 'table', 'ip', 'l3ha'])).stdout).toBe(good);
    expect((await pingBurst(plan.ext, r2.floating, 10)).received).toBeGreaterThanOrEqual(9);
  });

  it('refuses notify arguments with shell syntax, newlines or over-long names, executing nothing', async () => {
    const n = node('a');
    const marker = join(plan.dir, 'pwned');
    const base = ['notify', '--state-dir', join(n.dir, 'state'), '--run-dir', join(n.dir, 'run')];
    // Only hook lines: the agent may still journal a follow-up GARP of an earlier test.
    const hooks = () => journal(n, 'r1').filter((e) => e.event === 'hook').length;
    const before = hooks();
    for (const bad of [
      [...base, 'INSTANCE', `l3ha_r1;touch ${marker}`, 'MASTER', '100'],
      [...base, 'INSTANCE', `l3ha_$(touch ${marker})`, 'MASTER', '100'],
      [...base, 'INSTANCE', 'l3ha_r1\nMASTER', 'MASTER', '100'],
      [...base, 'INSTANCE', `l3ha_${'r'.repeat(40)}`, 'MASTER', '100'],
      [...base, 'INSTANCE', 'l3ha_r1', `MASTER;touch ${marker}`, '100'],
      [...base, 'INSTANCE', 'l3ha_r1', 'MASTER', '100`touch /x`'],
      [
        'notify',
        '--state-dir',
        `/tmp;touch ${marker}`,
        '--run-dir',
        '/run',
        'INSTANCE',
        'l3ha_r1',
        'MASTER',
        '100',
      ],
    ]) {
      const r = await l3ha(bad);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr).toContain('L3HA_BAD_ARGUMENT');
    }
    expect(existsSync(marker)).toBe(false);
    expect(hooks()).toBe(before);
    expect(
      readFileSync(join(n.dir, 'state/notify-refused.log'), 'utf8').split('\n').filter(Boolean).length,
    ).toBe(6);
  });

  it('reports SPLIT for every router when only the HA link is cut, then converges to one MASTER that re-announces', async () => {
    await waitOneMaster(runner, plan, 20_000);
    // Cut node b's HA ports without losing carrier, as a broken switch would.
    const cut =
      'table bridge l3ha_cut { chain f { type filter hook forward priority 0; policy accept; iifname "h2-*" drop; oifname "h2-*" drop; }; }';
    await runner.run('ip', ['netns', 'exec', plan.fabric, 'nft', '-f', '-'], { input: cut });
    const t0 = Date.now();
    const splitSeen = async (n: LabNode) => {
      const s = JSON.parse((await l3ha(['status', '--config', n.config, '--json'])).stdout) as {
        routers: { id: string; role: string }[];
      };
      return s.routers.every((r) => r.role === 'SPLIT');
    };
    let both = false;
    // Detection (3 adverts, ~0.4 s) plus 3 peer polls of 1 s, with slack for a loaded machine.
    while (!both && Date.now() - t0 < 8000) {
      both = (await splitSeen(node('a'))) && (await splitSeen(node('b')));
      if (!both) await sleep(200);
    }
    expect(both, `SPLIT on both nodes after ${Date.now() - t0} ms`).toBe(true);
    expect(metric(await metrics(node('a')), 'l3ha_split_brain_routers')).toBe(2);
    await runner.run('ip', ['netns', 'exec', plan.fabric, 'nft', 'delete', 'table', 'bridge', 'l3ha_cut']);
    const roles = await waitOneMaster(runner, plan, 15_000);
    // One peer poll (1 s) to notice the heal, then the re-announcement bursts at +0, +0.5, +2 s.
    await sleep(4500);
    for (const r of roles) {
      const m = node(r.masters[0] as 'a' | 'b');
      const j = journal(m, r.id);
      const heal = j.findLastIndex((e) => e.event === 'heal' && e.to === 'MASTER');
      expect(heal, `${r.id} heal on ${m.name}: ${JSON.stringify(j.slice(-6))}`).toBeGreaterThanOrEqual(0);
      expect(
        j.slice(heal).some((e) => e.event === 'garp' && (e.garpsSent ?? 0) > 0),
        JSON.stringify(j.slice(heal)),
      ).toBe(true);
      expect((await pingBurst(plan.ext, router(r.id).floating, 10)).received).toBeGreaterThanOrEqual(9);
    }
    expect(metric(await metrics(node('a')), 'l3ha_split_brain_routers')).toBe(0);
  });

  it('deletes the conntrack entries of a floating IP whose fixed IP changed, and only those', async () => {
    const r1 = router('r1');
    const m = await master('r1');
    const ns = `${m.nsPrefix}r1`;
    const listing = async () => (await inNs(ns, 'conntrack', ['-L'])).stdout;
    const esc = (ip: string) => ip.replaceAll('.', '\\.');
    const oldFlow = new RegExp(`dst=${esc(r1.floating)} .*src=${esc(r1.fixed)} `);
    // A flow through the floating IP (answered by 10.1.0.5), and a control flow to the
    // router's own gateway address that no NAT touches.
    await inNs(plan.ext, 'ping', ['-c', '2', '-i', '0.2', r1.floating]);
    await inNs(plan.ext, 'ping', ['-c', '2', '-i', '0.2', r1.gateway]);
    expect(await listing()).toMatch(oldFlow);
    // Re-point the floating IP at the other VM on both nodes.
    for (const n of plan.nodes) {
      const f = join(n.dir, 'routers.d', 'r1.yaml');
      writeFileSync(f, readFileSync(f, 'utf8').replace(`fixed: ${r1.fixed}`, `fixed: ${r1.snatVm}`));
    }
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && oldFlow.test(await listing())) await sleep(100);
    const after = await listing();
    expect(after).not.toMatch(oldFlow);
    expect(after).toMatch(new RegExp(`dst=${esc(r1.gateway)} .*src=${esc(r1.gateway)} `));
    expect((await inNs(ns, 'nft', ['list', 'table', 'ip', 'l3ha'])).stdout).toContain(
      `${r1.floating} : ${r1.snatVm}`,
    );
    expect((await pingBurst(plan.ext, r1.floating, 5)).received).toBeGreaterThanOrEqual(4);
  });

  it('exposes Prometheus series with values that match the node', async () => {
    for (const n of plan.nodes) {
      // Counters start with the agent (an earlier test restarted one); the journal goes further back.
      const status = (await callControl(
        controlSocket({ runDir: join(n.dir, 'run') }),
        'GET',
        '/status',
        10_000,
      )) as {
        startedAt: string;
      };
      const since = Date.parse(status.startedAt);
      const journal = (m: LabNode, id: string) => journalOf(m, id).filter((e) => Date.parse(e.time) >= since);
      const text = await metrics(n);
      const masters = (await Promise.all(plan.routers.map((r) => masterOf(runner, plan, r)))).filter((m) =>
        m.includes(n.name),
      ).length;
      expect(metric(text, 'l3ha_routers{role="MASTER"}')).toBe(masters);
      expect(metric(text, 'l3ha_routers{role="BACKUP"}')).toBe(plan.routers.length - masters);
      const toMaster = plan.routers.map(
        (r) => metric(text, `l3ha_transitions_total{router="${r.id}",to="MASTER"}`) ?? 0,
      );
      const journaled = plan.routers.map(
        (r) => journal(n, r.id).filter((e) => e.event === 'transition' && e.to === 'MASTER').length,
      );
      expect(toMaster).toEqual(journaled);
      expect(metric(text, 'l3ha_replay_duration_seconds_count')).toBe(
        plan.routers.reduce((s, r) => s + journal(n, r.id).filter((e) => e.event === 'replay').length, 0),
      );
      expect(metric(text, 'l3ha_garps_sent_total')).toBeGreaterThan(0);
      // A restarted agent adopts keepalived, so the per-router series may not exist yet.
      expect(text).toContain('# TYPE l3ha_keepalived_restarts_total counter');
      expect(metric(text, 'l3ha_kernel_reads_total{source="kernel"}')).toBeGreaterThanOrEqual(
        plan.routers.length,
      );
      expect(metric(text, 'l3ha_kernel_reads_total{source="trusted"}')).toBeGreaterThan(0);
      expect(metric(text, 'l3ha_queue_depth')).toBeGreaterThanOrEqual(0);
      expect(text).toContain('l3ha_reconcile_errors_total');
    }
  });
});
