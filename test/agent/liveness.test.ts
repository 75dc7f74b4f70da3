import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LivenessProbe } from '../../src/agent/liveness.js';
import { RouterStates } from '../../src/agent/router-states.js';

// A pid that existed and is gone: a child that ran and was reaped.
const gonePid = () => spawnSync('true').pid as number;
const me = { pid: process.pid, start: 1 };

describe('LivenessProbe', () => {
  it('reports a router whose keepalived pid is gone once, and leaves live ones alone', () => {
    const states = new RouterStates();
    states.set('r1', { procs: [me] });
    states.set('r2', { procs: [me, { pid: gonePid(), start: 1 }] });
    const probe = new LivenessProbe();
    expect(probe.exited(states)).toEqual(['r2']);
    expect(states.get('r2').procs).toEqual([]);
    expect(probe.exited(states)).toEqual([]);
  });

  it('sees a gone pid beyond the per-probe budget of state reads', () => {
    const states = new RouterStates();
    for (let i = 1; i <= 10; i++) states.set(`r${i}`, { procs: [me] });
    states.set('r11', { procs: [{ pid: gonePid(), start: 1 }] });
    // One state read per probe: r11 is still found at once, by signal 0.
    expect(new LivenessProbe(1).exited(states)).toEqual(['r11']);
  });
});
