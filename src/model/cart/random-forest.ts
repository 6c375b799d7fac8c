/**
 * A random forest as ml-random-forest 2.1 builds one with the options irisops uses (sample
 * bagging, features drawn once per tree without replacement, no out-of-bag scoring): tree
 * after tree, draw the rows, then the features, then grow a tree on them. The seed runs on
 * from draw to draw, so tree i depends on every draw before it.
 */
import { drawBootstrapRows, drawFeatureColumns, featureCount } from './bagging.js';
import { ClassShares } from './gini.js';
import { buildSample, rankColumns } from './sample.js';
import { growTree, type FlatTree, type TreeRules } from './tree.js';

export interface ForestOptions {
  nEstimators: number;
  /** a share in (0, 1] of the features, or a whole count */
  maxFeatures: number;
  maxDepth: number;
  seed: number;
}

/** ml-cart's defaults, which irisops keeps */
const MIN_NUM_SAMPLES = 3;
const GAIN_THRESHOLD = 0.01;

/** x: rows of features; y: class indexes 0, 1, ... Trees split on dataset columns. */
export function growForest(
  x: readonly (readonly number[])[],
  y: readonly number[],
  options: ForestOptions,
): FlatTree[] {
  if (x.length === 0 || x.length !== y.length)
    throw new RangeError(
      `a forest needs rows and one label per row (${x.length} rows, ${y.length} labels)`,
    );
  const nColumns = (x[0] as readonly number[]).length;
  const nClasses = y.reduce((max, label) => Math.max(max, label), 0) + 1;
  const count = featureCount(options.maxFeatures, nColumns);
  const rules: TreeRules = {
    maxDepth: options.maxDepth,
    minNumSamples: MIN_NUM_SAMPLES,
    gainThreshold: GAIN_THRESHOLD,
  };
  const ranks = rankColumns(x, nColumns);
  const shares = new ClassShares();
  const trees: FlatTree[] = [];
  let seed = options.seed;
  for (let t = 0; t < options.nEstimators; t++) {
    const rowDraw = drawBootstrapRows(x.length, seed);
    const featureDraw = drawFeatureColumns(nColumns, count, rowDraw.nextSeed);
    seed = featureDraw.nextSeed;
    const sample = buildSample(x, y, rowDraw.rows, featureDraw.columns, ranks, nClasses);
    trees.push(growTree(sample, featureDraw.columns, rules, shares));
  }
  return trees;
}
