import { readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  exePath,
  judgeKeepalived,
  type ProcFacts,
  parseStat,
  parseStatusUids,
  procFacts,
  startOf,
} from '../../src/system/proc-identity.js';

// Parsing /proc and the decision "is this pid the router's keepalived", on recorded text.

const STAT =
  '4242 (keepalived) S 1 4242 4242 0 -1 4194624 120 0 0 0 3 5 0 0 20 0 1 0 123456 9998336 330 ' +
  '18446744073709551615 1 1 0 0 0 0 0 4096 16898 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0';

const STATUS = `Name:\tkeepalived
Umask:\t0022
State:\tS (sleeping)
Tgid:\t4242
Pid:\t4242
PPid:\t1
Uid:\t0\t0\t0\t0
Gid:\t0\t0\t0\t0
`;

const CONF = '/var/lib/l3ha/routers/r1/keepalived.conf';
const BIN = '/usr/sbin/keepalived';
const keepalived: ProcFacts = {
  pid: 4242,
  state: 'S',
  ppid: 1,
  start: 123456,
  uid: { real: 0, effective: 0 },
  exe: BIN,
  argv: [BIN, '-P', '-f', CONF, '-p', '/run/l3ha/keepalived-r1.pid'],
};
const want = { binaries: [BIN], conf: CONF, start: 123456 };

describe('parsing /proc', () => {
  it('reads state, parent and start time from stat, counting from the last parenthesis', () => {
    expect(parseStat(STAT)).toEqual({ state: 'S', ppid: 1, start: 123456 });
    // A comm may hold spaces and parentheses: "(a) b)" is one field.
    const odd = STAT.replace('(keepalived)', '(ke) S 9 (x))');
    expect(parseStat(odd)).toEqual({ state: 'S', ppid: 1, start: 123456 });
    expect(parseStat('')).toBeUndefined();
    expect(parseStat('12 (x) S 1 2')).toBeUndefined();
  });

  it('reads the real and effective uid from status', () => {
    expect(parseStatusUids(STATUS)).toEqual({ real: 0, effective: 0 });
    expect(parseStatusUids(STATUS.replace('Uid:\t0\t0', 'Uid:\t65534\t0'))).toEqual({
      real: 65534,
      effective: 0,
    });
    expect(parseStatusUids('Name:\tx\n')).toBeUndefined();
  });

  it('takes the path of a binary replaced after the exec', () => {
    expect(exePath('/usr/sbin/keepalived (deleted)')).toBe(BIN);
    expect(exePath(BIN)).toBe(BIN);
  });

  it('reads this process: its start time is stable, its exe is node', () => {
    const f = procFacts(process.pid);
    expect(f?.start).toBe(startOf(process.pid));
    expect(f?.exe).toBe(readlinkSync('/proc/self/exe'));
    expect(f?.argv[0]).toContain('node');
    expect(procFacts(2 ** 22 + 1)).toBeUndefined();
  });
});

describe('judgeKeepalived', () => {
  it('accepts root running the configured binary on our config with the recorded start', () => {
    expect(judgeKeepalived(keepalived, want)).toEqual({ ours: true });
    // A first sighting (no recorded start) is adopted on the rest.
    expect(judgeKeepalived(keepalived, { ...want, start: undefined })).toEqual({ ours: true });
    // An upgrade replaced the binary: same path, still ours.
    expect(judgeKeepalived({ ...keepalived, exe: `${BIN} (deleted)` }, want).ours).toBe(true);
    // The configured path is a symlink: /proc shows where it leads.
    const linked = { ...want, binaries: ['/usr/local/sbin/keepalived', BIN] };
    expect(judgeKeepalived(keepalived, linked).ours).toBe(true);
  });

  it('refuses a non-root process with a faked argv, even running the real binary', () => {
    const v = judgeKeepalived({ ...keepalived, uid: { real: 65534, effective: 65534 } }, want);
    expect(v).toMatchObject({ ours: false, gone: false });
    expect(!v.ours && v.why).toContain('uid 65534/65534');
    expect(judgeKeepalived({ ...keepalived, uid: { real: 65534, effective: 0 } }, want).ours).toBe(false);
    expect(judgeKeepalived({ ...keepalived, uid: undefined }, want).ours).toBe(false);
  });

  it('refuses another binary, an unreadable exe, and a root process that only names our config', () => {
    const sleep = judgeKeepalived({ ...keepalived, exe: '/usr/bin/sleep' }, want);
    expect(!sleep.ours && sleep.why).toContain('/usr/bin/sleep');
    expect(judgeKeepalived({ ...keepalived, exe: undefined }, want).ours).toBe(false);
    expect(judgeKeepalived({ ...keepalived, exe: '/tmp/keepalived (deleted)' }, want).ours).toBe(false);
    const other = { ...keepalived, argv: [BIN, '-f', '/etc/keepalived/keepalived.conf'] };
    expect(judgeKeepalived(other, want).ours).toBe(false);
  });

  it('refuses a reused pid: another start time', () => {
    const v = judgeKeepalived({ ...keepalived, start: 999_999 }, want);
    expect(v).toMatchObject({ ours: false, gone: false });
    expect(!v.ours && v.why).toContain('reused');
  });

  it('calls a missing pid or a zombie gone, not refused', () => {
    expect(judgeKeepalived(undefined, want)).toMatchObject({ ours: false, gone: true });
    expect(judgeKeepalived({ ...keepalived, state: 'Z' }, want)).toMatchObject({ ours: false, gone: true });
  });
});
