/**
 * The rows one tree trains on, laid out for a sorted split search: per feature the values
 * by sample position, and per feature the positions sorted by value. ml-cart sorts a node's
 * rows by value with a stable sort, rows in node order, and a node keeps its parent's row
 * order, which is the bootstrap draw order; so equal values stay in position order, and
 * sorting once by (value, position) and partitioning stably gives every node's order.
 *
 * A node is a range [start, end) that is the same in every block of `order`: block f
 * (f < nFeatures) holds the node's positions sorted by feature f, and the last block holds
 * them in position order (it counts the classes, also for a tree that sees no feature).
 *
 * The dataset's values are ranked once per forest (equal values, equal rank); a tree's
 * order is then a counting sort of its positions by rank, which keeps equal values in
 * position order by construction.
 */

export interface TreeSample {
  nRows: number;
  nFeatures: number;
  nClasses: number;
  /** values[f][position]: feature f of the row drawn at that position */
  values: Float64Array[];
  /** labels[position] */
  labels: Int32Array;
  /** (nFeatures + 1) blocks of nRows positions */
  order: Int32Array;
}

/** One dataset column: each row's rank among the column's distinct values. */
export interface ColumnRanks {
  rank: Int32Array;
  nDistinct: number;
}

export function rankColumns(x: readonly (readonly number[])[], nColumns: number): ColumnRanks[] {
  return Array.from({ length: nColumns }, (_, column) => {
    const value = (row: number) => (x[row] as readonly number[])[column] as number;
    const rows = Array.from({ length: x.length }, (_, i) => i);
    if (rows.some((row) => Number.isNaN(value(row))))
      throw new RangeError(`column ${column} holds NaN, which has no place in a sorted order`);
    rows.sort((a, b) => value(a) - value(b));
    const rank = new Int32Array(x.length);
    let nDistinct = 0;
    rows.forEach((row, i) => {
      if (i > 0 && value(row) !== value(rows[i - 1] as number)) nDistinct++;
      rank[row] = nDistinct;
    });
    return { rank, nDistinct: x.length === 0 ? 0 : nDistinct + 1 };
  });
}

/** Positions 0..n-1 by the rank of the row drawn there, equal ranks in position order. */
function sortByRank(rows: Int32Array, ranks: ColumnRanks, out: Int32Array, base: number): void {
  const next = new Int32Array(ranks.nDistinct + 1);
  for (let i = 0; i < rows.length; i++) {
    const r = ranks.rank[rows[i] as number] as number;
    next[r + 1] = (next[r + 1] as number) + 1;
  }
  for (let r = 1; r <= ranks.nDistinct; r++)
    next[r] = (next[r] as number) + (next[r - 1] as number);
  for (let i = 0; i < rows.length; i++) {
    const r = ranks.rank[rows[i] as number] as number;
    out[base + (next[r] as number)] = i;
    next[r] = (next[r] as number) + 1;
  }
}

export function buildSample(
  x: readonly (readonly number[])[],
  y: readonly number[],
  rows: Int32Array,
  columns: readonly number[],
  ranks: readonly ColumnRanks[],
  nClasses: number,
): TreeSample {
  const nRows = rows.length;
  const nFeatures = columns.length;
  const labels = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) labels[i] = y[rows[i] as number] as number;
  const values = columns.map((column) => {
    const v = new Float64Array(nRows);
    for (let i = 0; i < nRows; i++)
      v[i] = (x[rows[i] as number] as readonly number[])[column] as number;
    return v;
  });
  const order = new Int32Array((nFeatures + 1) * nRows);
  columns.forEach((column, f) => sortByRank(rows, ranks[column] as ColumnRanks, order, f * nRows));
  for (let i = 0; i < nRows; i++) order[nFeatures * nRows + i] = i;
  return { nRows, nFeatures, nClasses, values, labels, order };
}

/**
 * Splits the node [start, end) in every block: positions whose value of `feature` is below
 * `threshold` first, the others after, each side in its previous order. Returns the size of
 * the lower side.
 */
export function partitionNode(
  sample: TreeSample,
  start: number,
  end: number,
  feature: number,
  threshold: number,
  scratch: Int32Array,
): number {
  const { order, nRows, nFeatures } = sample;
  const v = sample.values[feature] as Float64Array;
  let lowerSize = 0;
  for (let block = 0; block <= nFeatures; block++) {
    const base = block * nRows;
    let lower = base + start;
    let upper = 0;
    for (let i = base + start; i < base + end; i++) {
      const p = order[i] as number;
      if ((v[p] as number) < threshold) order[lower++] = p;
      else scratch[upper++] = p;
    }
    order.set(scratch.subarray(0, upper), lower);
    lowerSize = lower - base - start;
  }
  return lowerSize;
}
