/**
 * Population stability index over quantile bins of the training values. The outer bins are
 * open, so a value outside the training range still lands in a bin (the first or last)
 * instead of being dropped; an empty bin is floored at PSI_EPSILON so one empty bin makes
 * PSI large, not infinite.
 */

export const PSI_BINS = 10;
export const PSI_EPSILON = 1e-4;

/**
 * Cut points at the 1/bins ... (bins-1)/bins quantiles, each moved halfway down to the next
 * smaller distinct value: a tie is never split (iris is measured to 0.1 cm, so whole runs of
 * equal values sit on every quantile), and a value measured at the same precision never lands
 * exactly on an edge. Equal cuts collapse, so a feature with few distinct values has fewer bins.
 */
export function quantileBinEdges(sorted: readonly number[], bins: number = PSI_BINS): number[] {
  const edges: number[] = [];
  const n = sorted.length;
  for (let k = 1; k < bins; k++) {
    const idx = Math.floor((k * n) / bins);
    const value = sorted[idx];
    if (value === undefined) continue;
    let below = idx - 1;
    while (below >= 0 && (sorted[below] as number) === value) below--;
    if (below < 0) continue;
    const edge = ((sorted[below] as number) + value) / 2;
    if (edges.length === 0 || edge > (edges[edges.length - 1] as number)) edges.push(edge);
  }
  return edges;
}

/** 0 for x below the first edge, k for edges[k-1] <= x < edges[k], edges.length at the top */
export function binIndex(edges: readonly number[], x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function binShares(edges: readonly number[], values: readonly number[]): number[] {
  const counts = new Float64Array(edges.length + 1);
  for (const x of values) {
    const k = binIndex(edges, x);
    counts[k] = (counts[k] as number) + 1;
  }
  return Array.from(counts, (c) => (values.length === 0 ? 0 : c / values.length));
}

/** sum over bins of (actual - expected) * ln(actual / expected), shares floored at epsilon */
export function psi(
  expected: readonly number[],
  actual: readonly number[],
  epsilon: number = PSI_EPSILON,
): number {
  if (expected.length !== actual.length)
    throw new RangeError('PSI needs the same bins on both sides');
  let sum = 0;
  expected.forEach((e0, k) => {
    const e = Math.max(e0, epsilon);
    const a = Math.max(actual[k] as number, epsilon);
    sum += (a - e) * Math.log(a / e);
  });
  return sum;
}
