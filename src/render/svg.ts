// Small pieces of hand-written HTML and SVG for the drill and bench pages. Pure.

// Escapes text for an HTML or SVG element or a double-quoted attribute.
export function esc(s: string | number): string {
  return String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// A coordinate with at most one decimal, so a page of thousands of points stays small.
export const px = (v: number): string => String(Math.round(v * 10) / 10);

// Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to r0.
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  return (v) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0));
}

// A "nice" tick step (1, 2 or 5 times a power of ten) giving about `count` ticks over span.
export function tickStep(span: number, count = 10): number {
  if (!(span > 0)) return 1;
  const raw = span / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

// The tick values from the first multiple of step at or after lo up to hi.
export function ticks(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

// An element with attributes in the given order; undefined attributes are left out.
export function el(name: string, attrs: Record<string, string | number | undefined>, body?: string): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(v as string | number)}"`)
    .join('');
  return body === undefined ? `<${name}${a}/>` : `<${name}${a}>${body}</${name}>`;
}
