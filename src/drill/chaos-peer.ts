import { setTimeout as sleep } from 'node:timers/promises';
import { cutPeerLink, restorePeerLink } from '../lab/peer-cut.js';
import type { LabNode, LabPlan } from '../lab/plan.js';
import { readJournal } from '../system/journal-file.js';
import { parseJournal } from '../transitions/journal.js';
import type { FaultContext, FaultRun } from './chaos-faults.js';
import type { Violation } from './chaos-invariants.js';
import { journalPath } from './takeover.js';

// The peer link down for a soak: VRRP does not use it, so no role may change on either
// node, and each agent must see the link go down and come back (l3ha_peer_link_up).
export async function peerLinkDown(ctx: FaultContext, soakMs: number): Promise<FaultRun> {
  const { runner, plan } = ctx;
  const faultAt = Date.now();
  await cutPeerLink(runner, plan);
  let down: string[];
  try {
    down = await peerLinkReads(plan, 0, soakMs + 5000);
    await sleep(soakMs);
  } finally {
    await restorePeerLink(runner, plan);
  }
  const up = await peerLinkReads(plan, 1, 10_000);
  return {
    faultAt,
    check() {
      const out: Violation[] = [];
      for (const n of plan.nodes) {
        if (!down.includes(n.name))
          out.push({ invariant: 'fault', detail: `the agent on ${n.name} never read its peer link down` });
        if (!up.includes(n.name))
          out.push({
            invariant: 'fault',
            detail: `the agent on ${n.name} did not read its peer link up again`,
          });
        for (const r of plan.routers) {
          const moved = parseJournal(readJournal(journalPath(n, r.id))).filter(
            (e) => e.event === 'transition' && Date.parse(e.time) >= faultAt,
          );
          if (moved.length > 0)
            out.push({
              invariant: 'fault',
              detail: `${r.id} on ${n.name} went ${moved.map((e) => e.to).join(', ')} with only the peer link down`,
            });
        }
      }
      return out;
    },
  };
}

// The nodes whose agent reads l3ha_peer_link_up = want before the deadline.
async function peerLinkReads(plan: LabPlan, want: 0 | 1, withinMs: number): Promise<string[]> {
  const deadline = Date.now() + withinMs;
  const seen = new Set<string>();
  while (seen.size < plan.nodes.length && Date.now() < deadline) {
    for (const n of plan.nodes) if ((await peerLinkUp(n)) === want) seen.add(n.name);
    if (seen.size < plan.nodes.length) await sleep(100);
  }
  return [...seen];
}

async function peerLinkUp(n: LabNode): Promise<number | undefined> {
  try {
    const text = await (await fetch(`http://${n.metricsListen}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('l3ha_peer_link_up '));
    return line === undefined ? undefined : Number(line.split(' ')[1]);
  } catch {
    return undefined;
  }
}
