import { describe, expect, it } from 'vitest';
import { parseAgent } from '../../src/config/load.js';
import { isSafePath, unsafePathErrors } from '../../src/config/safe-path.js';
import { L3haErrors } from '../../src/errors.js';
import { rawAgent } from '../fixtures.js';

// Paths that reach keepalived.conf or the notify line are checked after they are resolved.

function agentErrors(file: string, over: Record<string, unknown>) {
  try {
    parseAgent(file, rawAgent(over));
    return [];
  } catch (err) {
    if (err instanceof L3haErrors) return [...err.errors];
    throw err;
  }
}

describe('resolved paths', () => {
  it.each([
    ['stateDir', '/srv/my l3ha/agent.yaml', { stateDir: 'state' }, '/srv/my l3ha/state'],
    ['runDir', '/srv/it"s/agent.yaml', { runDir: 'run' }, '/srv/it"s/run'],
    ['routersDir', '/srv/a\\b/agent.yaml', { routersDir: 'routers.d' }, '/srv/a\\b/routers.d'],
    ['stateDir', "/srv/o'k/agent.yaml", { stateDir: 'state' }, "/srv/o'k/state"],
    ['runDir', '/srv/new\nline/agent.yaml', { runDir: 'run' }, '/srv/new\nline/run'],
    ['stateDir', '/srv/tab\there/agent.yaml', { stateDir: 'st' }, '/srv/tab\there/st'],
    ['stateDir', '/srv/bell\u0007/agent.yaml', { stateDir: 'st' }, '/srv/bell\u0007/st'],
  ])('refuses %s resolved under %j', (field, file, over, value) => {
    const errors = agentErrors(file, { routersDir: '/etc/l3ha/routers.d', ...over });
    const hit = errors.find((e) => e.field === field);
    expect([hit?.code, hit?.file, hit?.value]).toEqual(['L3HA_UNSAFE_PATH', file, value]);
    expect(hit?.format()).toContain(JSON.stringify(value));
  });

  it('accepts absolute paths and relative ones under a plain directory', () => {
    expect(agentErrors('/etc/l3ha/agent.yaml', { stateDir: 'state', runDir: '/run/l3ha' })).toEqual([]);
  });

  it('knows a safe path from an unsafe one', () => {
    expect(isSafePath('/usr/lib/node_modules/l3ha/dist/cli/main.js')).toBe(true);
    for (const p of ['/a b', '/a"b', "/a'b", '/a`b', '/a\\b', '/a\nb', '/a\rb', '/a\u0000b', '/a\u007fb'])
      expect(isSafePath(p), JSON.stringify(p)).toBe(false);
  });

  it('names the field and the value of an unsafe default notify path', () => {
    const [e] = unsafePathErrors('agent.yaml', [['notifyCommand[1]', '/opt/my l3ha/main.js']]);
    expect([e?.code, e?.field, e?.value]).toEqual([
      'L3HA_UNSAFE_PATH',
      'notifyCommand[1]',
      '/opt/my l3ha/main.js',
    ]);
  });
});
