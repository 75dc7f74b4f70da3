import { describe, expect, it } from 'vitest';
import { parseRouterText } from '../../src/config/load.js';
import { editedSpec } from '../../src/lab/chaos-faults.js';
import { labPlan, routerSpecText } from '../../src/lab/plan.js';

const spec = routerSpecText(labPlan('x', '/tmp/x', 1, 'fast', 20000).routers[0] as never);
const parse = (t: string) => parseRouterText('/tmp/x/r1.yaml', t);

describe('editedSpec', () => {
  it('a comment or a reorder leaves the same router', () => {
    const base = parse(spec);
    expect(Array.isArray(base)).toBe(false);
    for (const e of ['comment', 'reorder'] as const) {
      const edited = editedSpec(spec, e);
      expect(edited).not.toBe(spec);
      expect(parse(edited)).toEqual(base);
    }
  });

  it('a bad edit is refused', () => {
    const r = parse(editedSpec(spec, 'bad'));
    expect(Array.isArray(r)).toBe(true);
  });
});
