import { describe, expect, it } from 'vitest';
import { splitAllNetns } from '../../src/observe/all-netns.js';

describe('splitAllNetns', () => {
  it('maps each namespace to what its command printed, multi-line bodies too', () => {
    const text = [
      '',
      'netns: l3-a-r1',
      '[{"ifname":"lo"}]',
      '',
      'netns: l3-a-r2',
      'table ip l3ha_nat {',
      '\tchain pre {',
      '\t}',
      '',
      '\tchain post {',
      '\t}',
      '}',
      '',
    ].join('\n');
    const m = splitAllNetns(text);
    expect([...m.keys()]).toEqual(['l3-a-r1', 'l3-a-r2']);
    expect(m.get('l3-a-r1')).toBe('[{"ifname":"lo"}]\n');
    expect(m.get('l3-a-r2')).toBe('table ip l3ha_nat {\n\tchain pre {\n\t}\n\n\tchain post {\n\t}\n}\n');
  });

  it('keeps a namespace whose command printed nothing, as empty', () => {
    const m = splitAllNetns('\nnetns: x\n\nnetns: y\n[]\n');
    expect(m.get('x')).toBe('');
    expect(m.get('y')).toBe('[]\n');
  });

  it('does not take a body line that only looks like a header for one', () => {
    const m = splitAllNetns('\nnetns: x\ncomment "x"\nnetns: fake\n');
    expect([...m.keys()]).toEqual(['x']);
    expect(m.get('x')).toBe('comment "x"\nnetns: fake\n');
  });

  it('is empty for no namespaces', () => {
    expect(splitAllNetns('').size).toBe(0);
  });
});
