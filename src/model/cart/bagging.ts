/**
 * The two random draws behind each tree: which rows it trains on (a bootstrap sample, with
 * replacement) and which features it sees (without replacement). They follow
 * ml-random-forest 2.1's draws exactly, so a seed gives the forests it gave: every draw gets
 * a Mersenne Twister freshly seeded with the current seed, and the draw's last act is to
 * take the next seed from that same engine.
 */
import { integer, MersenneTwister19937 } from 'random-js';

export interface RowDraw {
  /** positions into the training rows, in draw order; repeats allowed */
  rows: Int32Array;
  nextSeed: number;
}

export interface FeatureDraw {
  /** dataset columns in draw order: the tree's column i is dataset column columns[i] */
  columns: number[];
  nextSeed: number;
}

function engineFor(seed: number): MersenneTwister19937 {
  if (!Number.isInteger(seed))
    throw new RangeError(`the forest seed must be an integer, got ${seed}`);
  return MersenneTwister19937.seed(seed);
}

export function drawBootstrapRows(nRows: number, seed: number): RowDraw {
  const engine = engineFor(seed);
  const pickRow = integer(0, nRows - 1);
  const rows = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) rows[i] = pickRow(engine);
  return { rows, nextSeed: engine.next() };
}

export function drawFeatureColumns(nColumns: number, count: number, seed: number): FeatureDraw {
  const engine = engineFor(seed);
  const pickColumn = integer(0, nColumns - 1);
  const chosen = new Set<number>();
  // one draw is taken before the loop even when count is 0: the next seed depends on it
  let column = pickColumn(engine);
  for (let i = 0; i < count; i++) {
    while (chosen.has(column)) column = pickColumn(engine);
    chosen.add(column);
  }
  return { columns: [...chosen], nextSeed: engine.next() };
}

/** max_features as ml-random-forest reads it: a share in (0, 1] of the columns, or a count. */
export function featureCount(maxFeatures: number, nColumns: number): number {
  return maxFeatures > 0 && maxFeatures <= 1 ? Math.floor(nColumns * maxFeatures) : maxFeatures;
}
