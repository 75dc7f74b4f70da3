import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RouterStates } from '../../src/agent/router-states.js';
import { seedMemory } from '../../src/agent/seed.js';
import { agent } from '../fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function stateDir() {
  const dir = mkdtempSync(join(tmpdir(), 'l3ha-unit-'));
  dirs.push(dir);
  const a = agent({ stateDir: dir });
  const write = (id: string, name: string, text: string) => {
    mkdirSync(join(dir, 'routers', id), { recursive: true });
    writeFileSync(join(dir, 'routers', id, name), text);
  };
  return { a, write };
}

describe('seedMemory', () => {
  it('gives a restarted agent the role and the NAT table each router had', async () => {
    const { a, write } = stateDir();
    write(
      'r1',
      'transitions.jsonl',
      `${JSON.stringify({ time: 't', event: 'transition', router: 'r1', from: 'BACKUP', to: 'MASTER' })}\n`,
    );
    write('r1', 'nat.applied.json', JSON.stringify({ hash: 'h1', listing: 'table ip l3ha {}\n' }));
    write('r2', 'nat.applied.json', '{"hash": 1}');
    write('r3', 'nat.applied.json', 'not json');
    const states = new RouterStates();
    await seedMemory(a, ['r1', 'r2', 'r3', 'r4'], states);
    expect(states.get('r1')).toMatchObject({
      role: 'MASTER',
      natApplied: { hash: 'h1', listing: 'table ip l3ha {}\n' },
    });
    // A record in the wrong shape is ignored: the NAT table is then applied again.
    for (const id of ['r2', 'r3', 'r4']) expect(states.get(id)?.natApplied).toBeUndefined();
  });
});
