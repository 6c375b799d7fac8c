/**
 * Two-sample Kolmogorov-Smirnov test, two-sided, as scipy.stats.ks_2samp computes it: the
 * statistic handles ties (both empirical CDFs are read after every copy of a value), and the
 * p-value is exact (the null distribution of all orderings of the pooled sample) while the
 * lattice has at most EXACT_LIMIT cells, else the Kolmogorov limit with Stephens' small-sample
 * correction. Exact matters here: a window of 100 rows against 120 training rows is far from
 * the asymptotic regime, and that is where drift libraries raise false alarms.
 */

/** m * n lattice cells: 10 million is ~10 ms, and covers 120 training rows x 80,000 inputs */
export const EXACT_LIMIT = 10_000_000;

export interface KsResult {
  /** sup |F_a - F_b| */
  statistic: number;
  p: number;
}

/**
 * The statistic times m * n, an integer: max over pooled values of |i n - j m| where i of
 * the m values of a and j of the n values of b are <= the value. Kept integral so the exact
 * p-value compares lattice points without rounding.
 */
export function ksScaledStatistic(a: readonly number[], b: readonly number[]): number {
  const m = a.length;
  const n = b.length;
  let i = 0;
  let j = 0;
  let max = 0;
  while (i < m || j < n) {
    const value = Math.min(
      i < m ? (a[i] as number) : Infinity,
      j < n ? (b[j] as number) : Infinity,
    );
    while (i < m && (a[i] as number) <= value) i++;
    while (j < n && (b[j] as number) <= value) j++;
    max = Math.max(max, Math.abs(i * n - j * m));
  }
  return max;
}

/**
 * P(D >= h / (m n)) under the null: 1 - the share of monotone lattice paths from (0,0) to
 * (m,n) that stay strictly inside |i n - j m| < h. Each cell holds the probability that a
 * uniformly random path to it stayed inside (the path count over C(i+j, i)), so nothing
 * overflows however large m + n is.
 */
export function ksExactP(m: number, n: number, h: number): number {
  if (h <= 0) return 1;
  const row = new Float64Array(n + 1);
  for (let i = 0; i <= m; i++) {
    for (let j = 0; j <= n; j++) {
      if (Math.abs(i * n - j * m) >= h) row[j] = 0;
      else if (i === 0 && j === 0) row[j] = 1;
      else {
        const up = i > 0 ? (i / (i + j)) * (row[j] as number) : 0;
        const left = j > 0 ? (j / (i + j)) * (row[j - 1] as number) : 0;
        row[j] = up + left;
      }
    }
  }
  return Math.min(1, Math.max(0, 1 - (row[n] as number)));
}

/** P(K > z) for the Kolmogorov distribution, by whichever series converges fast at z. */
export function kolmogorovSurvival(z: number): number {
  if (z <= 0) return 1;
  if (z < 1.18) {
    // P(K <= z) = sqrt(2 pi) / z * sum exp(-(2k-1)^2 pi^2 / (8 z^2)): few terms for small z
    const w = (Math.PI * Math.PI) / (8 * z * z);
    let cdf = 0;
    for (let k = 1; k <= 6; k++) cdf += Math.exp(-(2 * k - 1) * (2 * k - 1) * w);
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / z) * cdf));
  }
  let sf = 0;
  for (let k = 1; k <= 6; k++) sf += (k % 2 === 1 ? 2 : -2) * Math.exp(-2 * k * k * z * z);
  return Math.min(1, Math.max(0, sf));
}

/** a and b sorted ascending, both non-empty */
export function ksTest(a: readonly number[], b: readonly number[]): KsResult {
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) throw new RangeError('ksTest needs two non-empty samples');
  const h = ksScaledStatistic(a, b);
  const statistic = h / (m * n);
  if (m * n <= EXACT_LIMIT) return { statistic, p: ksExactP(m, n, h) };
  const en = Math.sqrt((m * n) / (m + n));
  return { statistic, p: kolmogorovSurvival((en + 0.12 + 0.11 / en) * statistic) };
}
