/**
 * Holm's step-down correction. Chosen over Benjamini-Hochberg because the question a drift
 * alert asks is "did anything drift?": a false alarm on any feature pages someone, so it is
 * the family-wise error rate that must stay under alpha, and Holm bounds it whatever the
 * dependence between the tests (iris petal length and width are strongly correlated, which
 * BH's guarantee does not cover in general). With 4 or 5 tests the power lost is small.
 */

/** adjusted p-values, in the order given; null entries (tests not run) stay null */
export function holm(pValues: readonly (number | null)[]): (number | null)[] {
  const ranked = pValues
    .map((p, index) => ({ p, index }))
    .filter((e): e is { p: number; index: number } => e.p !== null)
    .sort((x, y) => x.p - y.p);
  const m = ranked.length;
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 0;
  ranked.forEach(({ p, index }, rank) => {
    // monotone: a smaller raw p never gets a larger adjusted p than a bigger one
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}
