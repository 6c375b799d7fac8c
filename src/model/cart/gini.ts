/**
 * Gini impurity from class counts, computed with the very float operations of ml-cart 2.1,
 * so that gains compare (and tie) exactly as they do there. ml-cart does not divide a count
 * by the size: it adds 1/size once per row, so a class's share is that sum, which can differ
 * from count/size in the last bit. A split with the same gain in exact arithmetic is then
 * the first or the second by a rounding, and the trees follow it.
 */

/** Shares are cached per size up to this size; larger ones are summed on every call. */
const CACHED_SIZE_LIMIT = 2048;

export class ClassShares {
  private readonly bySize: (Float64Array | undefined)[] = [];

  /** the share of a class with `count` rows among `size`, as ml-cart sums it */
  share(count: number, size: number): number {
    if (size > CACHED_SIZE_LIMIT) return repeatedSum(1 / size, count);
    let row = this.bySize[size];
    if (!row) {
      row = new Float64Array(size + 1);
      const step = 1 / size;
      for (let k = 1; k <= size; k++) row[k] = (row[k - 1] as number) + step;
      this.bySize[size] = row;
    }
    return row[count] as number;
  }

  /**
   * 1 - sum of squared shares, classes in index order. A class with no rows adds 0 * 0 in
   * ml-cart, which leaves the sum as it is, so it is skipped here.
   */
  impurity(counts: Int32Array, size: number): number {
    if (size === 0) return 0;
    let sum = 0.0;
    for (let c = 0; c < counts.length; c++) {
      const k = counts[c] as number;
      if (k === 0) continue;
      const p = this.share(k, size);
      sum += p * p;
    }
    return 1 - sum;
  }
}

function repeatedSum(step: number, times: number): number {
  let sum = 0;
  for (let i = 0; i < times; i++) sum += step;
  return sum;
}

/**
 * The parent's impurity minus the size-weighted impurity of the two sides, the upper side
 * (rows >= the threshold) weighed in first, each as (impurity * size) / parent size.
 */
export function giniGain(
  parentImpurity: number,
  lowerImpurity: number,
  lowerSize: number,
  upperImpurity: number,
  upperSize: number,
): number {
  const size = lowerSize + upperSize;
  let sides = 0.0;
  sides += (upperImpurity * upperSize) / size;
  sides += (lowerImpurity * lowerSize) / size;
  return parentImpurity - sides;
}
