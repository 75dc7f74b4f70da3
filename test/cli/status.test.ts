import { describe, expect, it } from 'vitest';
import type { RouterStatus } from '../../src/agent/status.js';
import { CLEAR, formatStatus, runStatus, watchIntervalMs } from '../../src/cli/status.js';
import { L3haError } from '../../src/errors.js';

const row = (id: string, o: Partial<RouterStatus> = {}): RouterStatus => ({
  id,
  role: 'MASTER',
  keepalivedPid: 4242,
  keepalivedUptimeS: 12,
  addresses: ['203.0.113.1/24', '10.0.0.1/24'],
  natInSync: true,
  lastError: null,
  lastTransition: null,
  ...o,
});

describe('status table', () => {
  it('aligns one row per router under a header, with - and ? for unknowns', () => {
    const text = formatStatus('a', {
      agent: 'up',
      routers: [
        row('r1'),
        row('router-long', {
          role: 'BACKUP',
          keepalivedPid: null,
          keepalivedUptimeS: null,
          natInSync: null,
          addresses: [],
          lastError: { code: 'L3HA_COMMAND_FAILED', message: 'x', at: 'now' },
        }),
        row('r3', { natInSync: false }),
      ],
    });
    expect(text.split('\n')).toEqual([
      'node a (agent up)',
      'ROUTER       ROLE    PID   UPTIME  NAT    ADDRESSES  ERROR',
      'r1           MASTER  4242  12s     ok     2          -',
      'router-long  BACKUP  -     -       ?      0          L3HA_COMMAND_FAILED',
      'r3           MASTER  4242  12s     DRIFT  2          -',
      '',
    ]);
  });

  it('redraws from the top-left corner of a cleared screen', () => {
    expect(CLEAR).toBe('\u001b[H\u001b[2J');
  });
});

describe('status --watch --interval', () => {
  it('defaults to 1 s and takes seconds', () => {
    expect(watchIntervalMs(undefined)).toBe(1000);
    expect(watchIntervalMs('2')).toBe(2000);
    expect(watchIntervalMs('0.5')).toBe(500);
  });

  it.each(['0', '0.1', '-1', 'abc', '1e3', '3601', ''])('refuses %j as bad input', (v) => {
    expect(() => watchIntervalMs(v)).toThrow(L3haError);
    try {
      watchIntervalMs(v);
    } catch (e) {
      expect((e as L3haError).code).toBe('L3HA_BAD_ARGUMENT');
      expect((e as L3haError).exitCode).toBe(2);
    }
  });

  it('refuses --watch with --json and --interval without --watch, before reading any config', async () => {
    const config = '/nonexistent/agent.yaml';
    await expect(runStatus({ config, watch: true, json: true })).rejects.toMatchObject({
      code: 'L3HA_BAD_ARGUMENT',
    });
    await expect(runStatus({ config, interval: '2' })).rejects.toMatchObject({ code: 'L3HA_BAD_ARGUMENT' });
  });
});
