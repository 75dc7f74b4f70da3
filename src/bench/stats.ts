// Small statistics for benchmark samples. Pure.

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

// Nearest-rank percentile (p in 0..100) of the samples; NaN for none.
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1] as number;
}

export function ratio(baseline: number, ours: number): number {
  return ours === 0 ? Number.POSITIVE_INFINITY : baseline / ours;
}
