import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The shipped unit keeps its hardening, and nothing in it gives the agent a mount namespace
// of its own: `ip netns add` mounts under /run/netns must stay the host's.

const UNIT = new URL('../../deploy/systemd/l3ha-agent.service', import.meta.url).pathname;

// [Section] -> key -> values (a key may repeat), comments and blank lines dropped.
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  let section = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) {
      section = new Map();
      out.set(head[1] as string, section);
      continue;
    }
    const eq = line.indexOf('=');
    const key = line.slice(0, eq).trim();
    section.set(key, [...(section.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return out;
}

const service = parseUnit(readFileSync(UNIT, 'utf8')).get('Service') ?? new Map<string, string[]>();
const value = (key: string) => service.get(key)?.join(' ');

describe('the shipped systemd unit', () => {
  it.each([
    ['NoNewPrivileges', 'yes'],
    ['SystemCallArchitectures', 'native'],
    ['LockPersonality', 'yes'],
    ['RestrictSUIDSGID', 'yes'],
    ['RestrictRealtime', 'yes'],
    ['UMask', '0027'],
    ['KillMode', 'process'],
    ['RestrictNamespaces', 'net mnt'],
  ])('sets %s=%s', (key, want) => {
    expect(value(key)).toBe(want);
  });

  it('bounds capabilities to what l3ha, keepalived and the tools need', () => {
    expect(value('CapabilityBoundingSet')?.split(/\s+/).sort()).toEqual(
      ['CAP_KILL', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SYS_ADMIN'].sort(),
    );
    expect(value('AmbientCapabilities')).toBe('');
  });

  it('allows only the address families in use', () => {
    expect(value('RestrictAddressFamilies')?.split(/\s+/).sort()).toEqual(
      ['AF_INET', 'AF_INET6', 'AF_NETLINK', 'AF_PACKET', 'AF_UNIX'].sort(),
    );
  });

  it('denies syscall groups only, never @mount, @privileged or @resources (setns, mount, nice)', () => {
    const filter = value('SystemCallFilter') ?? '';
    expect(filter.startsWith('~')).toBe(true);
    for (const group of ['@mount', '@privileged', '@resources', '@system-service']) {
      expect(filter).not.toContain(group);
    }
  });

  it('sets no option that makes a private mount namespace (or leaves the host network or users)', () => {
    const banned = [
      'ProtectSystem',
      'ProtectHome',
      'PrivateTmp',
      'PrivateDevices',
      'PrivateMounts',
      'PrivateNetwork',
      'PrivateUsers',
      'PrivateIPC',
      'ProtectKernelTunables',
      'ProtectKernelModules',
      'ProtectKernelLogs',
      'ProtectControlGroups',
      'ProtectHostname',
      'ProtectProc',
      'ProcSubset',
      'ReadOnlyPaths',
      'ReadWritePaths',
      'InaccessiblePaths',
      'ExecPaths',
      'NoExecPaths',
      'TemporaryFileSystem',
      'BindPaths',
      'BindReadOnlyPaths',
      'RootDirectory',
      'RootImage',
      'MountFlags',
      'MountAPIVFS',
      'NetworkNamespacePath',
      'JoinsNamespaceOf',
      'LogNamespace',
    ];
    expect(banned.filter((k) => service.has(k))).toEqual([]);
  });

  it('checks the agent config strictly before the start, router files only as warnings', () => {
    expect(value('ExecStartPre')).toMatch(/ check --warn-routers --config /);
  });

  it.skipIf(!existsSync('/usr/bin/systemd-analyze'))(
    'scores 6.0 or better in systemd-analyze security',
    () => {
      const out = execFileSync('systemd-analyze', ['security', '--offline=true', '--no-pager', UNIT], {
        encoding: 'utf8',
      });
      const score = Number(/Overall exposure level for .*: ([\d.]+)/.exec(out)?.[1]);
      expect(score).toBeLessThanOrEqual(6.0);
    },
  );
});
