import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOOK_STATES, hookArgv, parseNotifyArgs } from '../../src/transitions/notify-args.js';

// The hook runs as root with argv from keepalived: every argument must match exactly.

const argv = hookArgv;

const refusedField = (a: readonly string[]) => {
  const r = parseNotifyArgs(a);
  return r.ok ? undefined : r.field;
};

describe('parseNotifyArgs', () => {
  it('accepts a well-formed hook call and extracts router, state and priority', () => {
    expect(parseNotifyArgs(argv())).toEqual({
      ok: true,
      args: { stateDir: '/var/lib/l3ha', runDir: '/run/l3ha', router: 'r1', state: 'MASTER', priority: 100 },
    });
  });

  it.each([...HOOK_STATES])('accepts the keepalived state %s', (state) => {
    const r = parseNotifyArgs(argv({ state }));
    expect(r.ok && r.args.state).toBe(state);
  });

  it.each([
    ['0', 0],
    ['255', 255],
  ])('accepts the boundary priority %s', (prio, n) => {
    const r = parseNotifyArgs(argv({ prio }));
    expect(r.ok && r.args.priority).toBe(n);
  });

  it.each([
    'l3ha_r1;reboot',
    'l3ha_$(reboot)',
    'l3ha_`reboot`',
    'l3ha_r1\nreboot',
    'l3ha_r 1',
    'l3ha_../r1',
    `l3ha_${'a'.repeat(12)}`,
    'l3ha_R1',
    'L3HA_r1',
    'l3ha_',
    'l3ha_-r1',
    'r1',
  ])('refuses the instance name %j', (name) => {
    expect(refusedField(argv({ name }))).toBe('instance');
  });

  it('accepts the longest allowed router id (11 characters)', () => {
    const r = parseNotifyArgs(argv({ name: `l3ha_${'a'.repeat(11)}` }));
    expect(r.ok && r.args.router).toBe('a'.repeat(11));
  });

  it('refuses a GROUP notification', () => {
    expect(refusedField(argv({ kind: 'GROUP' }))).toBe('type');
  });

  it.each(['master', 'MASTER;id', '', 'UNKNOWN'])('refuses the state %j', (state) => {
    expect(refusedField(argv({ state }))).toBe('state');
  });

  it.each(['256', '-1', '1e2', '0x10', ' 1', '1 ', '', '1000', '10.0'])('refuses the priority %j', (prio) => {
    expect(refusedField(argv({ prio }))).toBe('priority');
  });

  it.each([
    'var/lib/l3ha',
    '/var/lib/../../etc',
    '/var/lib/l3ha/..',
    '/var/lib;reboot',
    '/var/lib/l3 ha',
    `/${'a'.repeat(250)}`,
    '',
  ])('refuses the state directory %j', (stateDir) => {
    expect(refusedField(argv({ stateDir }))).toBe('--state-dir');
  });

  it('refuses an unsafe run directory', () => {
    expect(refusedField(argv({ runDir: '/run/$(reboot)' }))).toBe('--run-dir');
  });

  it.each([7, 9])('refuses %i arguments', (n) => {
    const a = n < 8 ? argv().slice(0, n) : [...argv(), 'extra'];
    expect(refusedField(a)).toBe('argv');
  });

  it('refuses options given in the wrong order', () => {
    const a = [
      '--run-dir',
      '/run/l3ha',
      '--state-dir',
      '/var/lib/l3ha',
      'INSTANCE',
      'l3ha_r1',
      'MASTER',
      '100',
    ];
    expect(refusedField(a)).toBe('argv[0]');
  });

  it('reports a truncated copy of the bad value', () => {
    const r = parseNotifyArgs(argv({ name: `l3ha_${'x'.repeat(500)}` }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.value.length).toBeLessThanOrEqual(80);
  });

  it('accepts an instance name exactly when it is l3ha_ and a short lower-case id', () => {
    const valid = /^l3ha_[a-z0-9][a-z0-9-]{0,10}$/;
    const name = fc.oneof(
      fc.string(),
      fc.string().map((s) => `l3ha_${s}`),
      fc.stringMatching(/^l3ha_[a-z0-9][a-z0-9-]{0,12}$/),
    );
    fc.assert(
      fc.property(name, (n) => {
        const r = parseNotifyArgs(argv({ name: n }));
        expect(r.ok).toBe(valid.test(n));
        if (/[;$`\n /]/.test(n)) expect(r.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('never accepts an instance name containing a shell or path character', () => {
    const name = fc
      .tuple(
        fc.string({ maxLength: 8 }),
        fc.constantFrom(';', '$', '`', '\n', ' ', '/'),
        fc.string({ maxLength: 8 }),
      )
      .map(([a, c, b]) => `l3ha_${a}${c}${b}`);
    fc.assert(
      fc.property(name, (n) => {
        expect(parseNotifyArgs(argv({ name: n })).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
