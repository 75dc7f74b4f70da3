import { describe, expect, it } from 'vitest';
import type { RouterEntry } from '../../src/config/cross-check.js';
import { parseRouterText } from '../../src/config/load.js';
import { parseSavedSpec, savedSpecText } from '../../src/config/saved-spec.js';
import { agent } from '../fixtures.js';

const text = 'id: r1\nvrid: 1\ninternal: [{ name: n1, addresses: [10.1.0.1/24] }]\n';
const entry = parseRouterText('/etc/l3ha/routers.d/r1.yaml', text) as RouterEntry;

describe('saved specs', () => {
  it('round-trips an accepted entry, frozen like a parsed one', () => {
    const back = parseSavedSpec(agent(), 'r1', savedSpecText(entry));
    expect(back).toEqual(entry);
    expect(Object.isFrozen(back?.spec)).toBe(true);
  });

  it('refuses what it cannot trust: not JSON, another router, a spec the schema or checks refuse', () => {
    const a = agent();
    expect(parseSavedSpec(a, 'r1', '{"file":')).toBeUndefined();
    expect(parseSavedSpec(a, 'r1', 'null')).toBeUndefined();
    expect(parseSavedSpec(a, 'r2', savedSpecText(entry))).toBeUndefined();
    const bad = JSON.stringify({ file: entry.file, spec: { ...entry.spec, vrid: 0 } });
    expect(parseSavedSpec(a, 'r1', bad)).toBeUndefined();
    expect(parseSavedSpec(a, 'r1', JSON.stringify({ spec: entry.spec }))).toBeUndefined();
    // A floating IP in a reserved block: checkRouter refuses it with today's rules.
    const reserved = { ...entry.spec, floatingIps: [{ floating: '127.0.0.9', fixed: '10.1.0.5' }] };
    expect(parseSavedSpec(a, 'r1', JSON.stringify({ file: entry.file, spec: reserved }))).toBeUndefined();
  });
});
