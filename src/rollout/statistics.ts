/**
 * The statistics behind the A/B verdict: a Wilson score interval for each accuracy, a
 * two-sided two-proportion z-test (pooled variance) and the classic sample-size formula for
 * comparing two proportions. The normal CDF uses Abramowitz & Stegun 7.1.26 (error below
 * 1.5e-7), ample for a p-value compared against 0.05.
 */

/** z for a two-sided 95 % interval / test at alpha 0.05 */
export const Z_95 = 1.959963984540054;
/** z for 80 % power */
export const Z_POWER_80 = 0.8416212335729143;

function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

export function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

/** Wilson score interval for successes out of n; null when n is 0. */
export function wilsonInterval(successes: number, n: number, z = Z_95): [number, number] | null {
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface TwoProportionTest {
  /** p2 - p1 */
  difference: number;
  z: number;
  /** two-sided */
  pValue: number;
}

/** Tests p2 (x2/n2) against p1 (x1/n1); null when either sample is empty. */
export function twoProportionTest(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
): TwoProportionTest | null {
  if (n1 === 0 || n2 === 0) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const difference = p2 - p1;
  // both all right or all wrong: no evidence of a difference either way
  if (se === 0) return { difference, z: 0, pValue: 1 };
  const z = difference / se;
  return { difference, z, pValue: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}

/**
 * Labels per variant a test at alpha 0.05 with 80 % power needs to detect the difference
 * between p1 and p2; null when they are equal (no finite sample detects no difference).
 */
export function labelsPerVariantNeeded(p1: number, p2: number): number | null {
  const delta = Math.abs(p2 - p1);
  if (delta === 0) return null;
  const mean = (p1 + p2) / 2;
  const root =
    Z_95 * Math.sqrt(2 * mean * (1 - mean)) + Z_POWER_80 * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil((root * root) / (delta * delta));
}
