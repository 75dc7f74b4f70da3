import { describe, expect, it } from 'vitest';
import {
  evaluateFlows,
  evaluateObservation,
  type NodeRouterView,
  type Observation,
  worstDowntime,
} from '../../src/drill/chaos-invariants.js';
import type { FlowResult } from '../../src/drill/ping.js';

const view = (node: string, role: string, over: Partial<NodeRouterView> = {}): NodeRouterView => ({
  node,
  router: 'r1',
  role,
  routerAddrs: [],
  renderedNatHash: 'h',
  natFileHash: 'h',
  appliedHash: 'h',
  appliedListing: 'table',
  natKernel: 'table',
  journalRole: role,
  stateFile: role,
  ...over,
});
const sound = (views: NodeRouterView[], over: Partial<Observation> = {}): Observation => ({
  views,
  routers: ['r1'],
  namespaces: ['x-fab', 'x-a-r1'],
  expectedNamespaces: ['x-fab', 'x-a-r1'],
  strayProcesses: [],
  strayFiles: [],
  ...over,
});
const kinds = (o: Observation) => evaluateObservation(o).map((v) => v.invariant);

describe('evaluateObservation', () => {
  it('passes a sound lab', () => {
    expect(evaluateObservation(sound([view('a', 'MASTER'), view('b', 'BACKUP')]))).toEqual([]);
  });

  it('wants exactly one MASTER per router', () => {
    expect(kinds(sound([view('a', 'MASTER'), view('b', 'MASTER')]))).toEqual(['one-master']);
    const none = evaluateObservation(sound([view('a', 'BACKUP'), view('b', 'DOWN')]));
    expect(none).toEqual([{ invariant: 'one-master', detail: 'r1: 0 MASTER (a=BACKUP b=DOWN)' }]);
  });

  it('wants the NAT on disk, applied and in the kernel to be the rendered one', () => {
    for (const over of [
      { natFileHash: 'x' },
      { appliedHash: 'x' },
      { natKernel: undefined },
      { natKernel: 'flushed' },
    ]) {
      expect(kinds(sound([view('a', 'MASTER'), view('b', 'BACKUP', over)]))).toEqual(['nat']);
    }
  });

  it('refuses router addresses on a node that is not MASTER', () => {
    const v = evaluateObservation(
      sound([
        view('a', 'MASTER', { routerAddrs: ['203.0.113.1/24@gw'] }),
        view('b', 'BACKUP', { routerAddrs: ['198.51.100.1/32@gw'] }),
      ]),
    );
    expect(v).toEqual([
      { invariant: 'no-address-on-backup', detail: 'r1 on b (BACKUP) holds 198.51.100.1/32@gw' },
    ]);
  });

  it('wants the journal and the state file to agree with the observed role', () => {
    expect(kinds(sound([view('a', 'MASTER', { journalRole: 'BACKUP' }), view('b', 'BACKUP')]))).toEqual([
      'journal',
    ]);
    expect(kinds(sound([view('a', 'MASTER'), view('b', 'BACKUP', { stateFile: undefined })]))).toEqual([
      'journal',
    ]);
  });

  it('reports leaked and missing namespaces, processes and files', () => {
    const o = sound([view('a', 'MASTER'), view('b', 'BACKUP')], {
      namespaces: ['x-fab', 'x-old'],
      strayProcesses: ['123 node -e for(;;){}'],
      strayFiles: ['chaos/hog-a-0.pid'],
    });
    expect(evaluateObservation(o).map((v) => v.detail)).toEqual([
      'namespaces left: x-old',
      'namespaces missing: x-a-r1',
      'processes left: 123 node -e for(;;){}',
      'files left: chaos/hog-a-0.pid',
    ]);
  });
});

const flow = (over: Partial<FlowResult> = {}): FlowResult => ({
  sent: 100,
  received: 100,
  lost: 0,
  downtimeMs: 20,
  recovered: true,
  outageFrom: undefined,
  outageTo: undefined,
  lastAnswerAt: 10_000,
  recoveryMs: 0,
  ...over,
});
const bounds = { maxDowntimeMs: 3000, noLoss: false, tcpSurvives: true, silentAtEndMs: 1500 };
const tcpOk = { connected: true, survived: true, maxStallMs: 10, sent: 1, echoed: 1, error: '' };

describe('evaluateFlows', () => {
  it('passes flows that answer within the bound', () => {
    expect(
      evaluateFlows({ r1: { inbound: flow(), outSnat: flow() } }, { r1: tcpOk }, 10_500, bounds),
    ).toEqual([]);
  });

  it('flags a flow silent at the end, one down past the bound, loss where none is allowed, a broken stream', () => {
    const v = evaluateFlows(
      {
        r1: {
          inbound: flow({ lastAnswerAt: 5000 }),
          outSnat: flow({ downtimeMs: 4000 }),
          outFloating: flow({ lost: 2 }),
        },
      },
      { r1: { ...tcpOk, survived: false, error: 'reset' } },
      10_000,
      { ...bounds, noLoss: true },
    );
    expect(v.map((x) => x.detail)).toEqual([
      'r1/inbound did not answer again',
      'r1/outSnat down 4000 ms > 3000 ms',
      'r1/outFloating lost 2 probes',
      'r1/tcp broken: reset',
    ]);
  });

  it('finds the worst downtime', () => {
    expect(
      worstDowntime({
        r1: { inbound: flow({ downtimeMs: 90 }) },
        r2: { outSnat: flow({ downtimeMs: 300 }) },
      }),
    ).toBe(300);
    expect(worstDowntime({})).toBe(0);
  });
});
