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

export function buildSample(
  x: readonly (readonly number[])[],
  y: readonly number[],
  rows: Int32Array,
  columns: readonly number[],
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
  const positions = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) positions[i] = i;
  values.forEach((v, f) => {
    const sorted = positions.slice().sort((a, b) => (v[a] as number) - (v[b] as number) || a - b);
    order.set(sorted, f * nRows);
  });
  order.set(positions, nFeatures * nRows);
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
