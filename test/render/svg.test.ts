import { describe, expect, it } from 'vitest';
import { el, esc, linear, px, tickStep, ticks } from '../../src/render/svg.js';

describe('svg helpers', () => {
  it('escapes text and attributes', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(el('rect', { x: 1, y: undefined, title: '"q"' })).toBe('<rect x="1" title="&quot;q&quot;"/>');
    expect(el('g', {}, 'x')).toBe('<g>x</g>');
  });

  it('scales linearly and rounds coordinates to a tenth', () => {
    const f = linear(-1000, 3000, 100, 500);
    expect(f(-1000)).toBe(100);
    expect(f(0)).toBe(200);
    expect(f(3000)).toBe(500);
    expect(linear(5, 5, 7, 9)(5)).toBe(7);
    expect(px(12.345)).toBe('12.3');
  });

  it('picks round tick steps', () => {
    expect(tickStep(4000, 10)).toBe(500);
    expect(tickStep(12_000, 10)).toBe(1000);
    expect(tickStep(130, 10)).toBe(10);
    expect(ticks(-1000, 3000, 1000)).toEqual([-1000, 0, 1000, 2000, 3000]);
    expect(ticks(-950, 1020, 500)).toEqual([-500, 0, 500, 1000]);
  });
});
