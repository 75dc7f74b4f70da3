import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderRouter } from '../../src/render/router.js';
import { NOTIFY } from '../fixtures.js';
import { GOLDEN_CASES, goldenUrl, readGolden } from './golden-cases.js';

// Rendered output must match the reviewed golden files byte for byte.
// Regenerate after a deliberate template change with UPDATE_GOLDEN=1, then review the diff.

describe('golden renderings', () => {
  for (const c of GOLDEN_CASES) {
    it(`renders ${c.name} exactly as the golden files`, () => {
      const out = renderRouter(c.agent, c.router, NOTIFY);
      if (process.env.UPDATE_GOLDEN === '1') {
        writeFileSync(goldenUrl(`${c.name}.keepalived.conf`), out.keepalivedConf);
        writeFileSync(goldenUrl(`${c.name}.nat.nft`), out.natNft);
      }
      expect(out.keepalivedConf).toBe(readGolden(`${c.name}.keepalived.conf`));
      expect(out.natNft).toBe(readGolden(`${c.name}.nat.nft`));
    });
  }

  it('is deterministic: the same input renders the same bytes', () => {
    const c = GOLDEN_CASES[2];
    if (!c) throw new Error('no case');
    expect(renderRouter(c.agent, c.router, NOTIFY)).toEqual(renderRouter(c.agent, c.router, NOTIFY));
  });
});
