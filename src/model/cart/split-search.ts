/**
 * The best split of one node, found as ml-cart 2.1 finds it, in one sweep per feature over
 * the node's rows sorted by that feature instead of one pass over all rows per candidate.
 *
 * The candidates of a feature: walking its sorted rows, wherever two neighbours have
 * different labels, the mean of their two values. A candidate sends the rows with a value
 * strictly below it to the lower side, so two neighbours with equal values propose a
 * threshold that leaves both on the upper side. Candidates only grow along the sweep, so the
 * lower side grows with them. Features are tried in the tree's column order and candidates
 * in sweep order; a candidate wins only with a strictly greater gain, so the first of equal
 * gains stays.
 */
import { ClassShares, giniGain } from './gini.js';
import type { TreeSample } from './sample.js';

export interface NodeSplit {
  /** -Infinity when the node offers no candidate at all */
  gain: number;
  feature: number;
  threshold: number;
  lowerSize: number;
}

export interface SplitScratch {
  shares: ClassShares;
  lowerCounts: Int32Array;
  upperCounts: Int32Array;
}

export function newSplitScratch(nClasses: number, shares: ClassShares): SplitScratch {
  return {
    shares,
    lowerCounts: new Int32Array(nClasses),
    upperCounts: new Int32Array(nClasses),
  };
}

function sweepFeature(
  sample: TreeSample,
  feature: number,
  start: number,
  end: number,
  nodeCounts: Int32Array,
  nodeImpurity: number,
  scratch: SplitScratch,
  best: NodeSplit,
): void {
  const { labels, nRows } = sample;
  const values = sample.values[feature] as Float64Array;
  const sorted = sample.order.subarray(feature * nRows + start, feature * nRows + end);
  const size = end - start;
  const { shares, lowerCounts, upperCounts } = scratch;
  lowerCounts.fill(0);
  let lowerSize = 0;
  let previous = NaN;
  for (let i = 1; i < size; i++) {
    const a = sorted[i - 1] as number;
    const b = sorted[i] as number;
    if (labels[a] === labels[b]) continue;
    const threshold = ((values[a] as number) + (values[b] as number)) / 2;
    // the same threshold again splits the same way, so it cannot beat itself
    if (threshold === previous) continue;
    previous = threshold;
    while (lowerSize < size && (values[sorted[lowerSize] as number] as number) < threshold) {
      const label = labels[sorted[lowerSize] as number] as number;
      lowerCounts[label] = (lowerCounts[label] as number) + 1;
      lowerSize++;
    }
    for (let c = 0; c < nodeCounts.length; c++)
      upperCounts[c] = (nodeCounts[c] as number) - (lowerCounts[c] as number);
    const gain = giniGain(
      nodeImpurity,
      shares.impurity(lowerCounts, lowerSize),
      lowerSize,
      shares.impurity(upperCounts, size - lowerSize),
      size - lowerSize,
    );
    if (gain > best.gain) {
      best.gain = gain;
      best.feature = feature;
      best.threshold = threshold;
      best.lowerSize = lowerSize;
    }
  }
}

export function bestSplit(
  sample: TreeSample,
  start: number,
  end: number,
  nodeCounts: Int32Array,
  scratch: SplitScratch,
): NodeSplit {
  const best: NodeSplit = { gain: -Infinity, feature: -1, threshold: 0, lowerSize: 0 };
  const nodeImpurity = scratch.shares.impurity(nodeCounts, end - start);
  for (let f = 0; f < sample.nFeatures; f++)
    sweepFeature(sample, f, start, end, nodeCounts, nodeImpurity, scratch, best);
  return best;
}
