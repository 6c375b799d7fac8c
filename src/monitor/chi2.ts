/**
 * Chi-squared goodness of fit and the regularized upper incomplete gamma function its
 * p-value needs, written out rather than pulled in: the npm packages that have it either
 * bring a whole numerics library for one function or are unmaintained, and the algorithm
 * (power series below a + 1, Lentz's continued fraction above) is short and checked against
 * scipy in test/monitor.
 */

// Lanczos approximation, g = 7, 9 terms: ~15 significant digits for x > 0
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0] as number;
  for (let k = 1; k < LANCZOS.length; k++) sum += (LANCZOS[k] as number) / (z + k);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPSILON = 1e-15;
const MAX_ITERATIONS = 500;
const TINY = 1e-300;

/** P(a, x) by its power series: converges fast for x < a + 1 */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let k = 1; k < MAX_ITERATIONS; k++) {
    term *= x / (a + k);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Q(a, x) by its continued fraction (modified Lentz): converges fast for x >= a + 1 */
function upperFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let k = 1; k < MAX_ITERATIONS; k++) {
    const an = -k * (k - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Q(a, x) = Gamma(a, x) / Gamma(a), for a > 0 and x >= 0 */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`regularizedGammaQ(${a}, ${x}) is undefined`);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperFraction(a, x);
}

/** P(X >= x) for X ~ chi-squared with df degrees of freedom */
export function chiSquaredSurvival(x: number, df: number): number {
  return regularizedGammaQ(df / 2, x / 2);
}

export interface ChiSquaredResult {
  statistic: number;
  df: number;
  p: number;
  expected: number[];
}

/**
 * Observed counts against expected shares. A class the reference never saw (share 0) adds
 * nothing while it stays unseen and makes the statistic infinite (p = 0) once seen: it has
 * no degree of freedom of its own, so df counts only the classes with a share.
 */
export function chiSquaredGoodnessOfFit(
  observed: readonly number[],
  shares: readonly number[],
): ChiSquaredResult {
  if (observed.length !== shares.length)
    throw new RangeError('observed and shares differ in length');
  const n = observed.reduce((s, o) => s + o, 0);
  const expected = shares.map((share) => share * n);
  let statistic = 0;
  observed.forEach((o, k) => {
    const e = expected[k] as number;
    if (e > 0) statistic += ((o - e) * (o - e)) / e;
    else if (o > 0) statistic = Infinity;
  });
  const df = shares.filter((s) => s > 0).length - 1;
  const p = df <= 0 || n === 0 ? 1 : chiSquaredSurvival(statistic, df);
  return { statistic, df, p, expected };
}
