/**
 * One classification tree grown as ml-cart 2.1 grows it, written straight into irisops' flat
 * layout (nodes in pre-order: a node, its whole lower subtree, then its upper subtree).
 *
 * A node becomes a leaf when it has at most minNumSamples rows, when it is at maxDepth, or
 * when its best split gains no more than gainThreshold, gains exactly what its parent's split
 * gained, or leaves one side empty. A leaf votes for its most frequent class, the lowest
 * class index among equals (ml-cart's distribution is the shares, which order as counts do).
 */
import type { ClassShares } from './gini.js';
import type { TreeSample } from './sample.js';
import { partitionNode } from './sample.js';
import { bestSplit, newSplitScratch } from './split-search.js';

export interface FlatTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface TreeRules {
  maxDepth: number;
  minNumSamples: number;
  gainThreshold: number;
}

interface PendingNode {
  start: number;
  end: number;
  depth: number;
  /** null at the root, which then has no gain to repeat */
  parentGain: number | null;
  parent: number;
  side: 'root' | 'left' | 'right';
}

function countClasses(sample: TreeSample, start: number, end: number, counts: Int32Array): void {
  counts.fill(0);
  const base = sample.nFeatures * sample.nRows;
  for (let i = base + start; i < base + end; i++) {
    const label = sample.labels[sample.order[i] as number] as number;
    counts[label] = (counts[label] as number) + 1;
  }
}

function majority(counts: Int32Array): number {
  let best = 0;
  for (let c = 1; c < counts.length; c++)
    if ((counts[c] as number) > (counts[best] as number)) best = c;
  return best;
}

/** Appends a node that is nothing yet (no split, no vote) and returns its index. */
export function appendBlankNode(tree: FlatTree): number {
  tree.feature.push(-1);
  tree.threshold.push(0);
  tree.left.push(-1);
  tree.right.push(-1);
  tree.value.push(-1);
  return tree.feature.length - 1;
}

function addNode(tree: FlatTree, node: PendingNode): number {
  const id = appendBlankNode(tree);
  if (node.side === 'left') tree.left[node.parent] = id;
  else if (node.side === 'right') tree.right[node.parent] = id;
  return id;
}

/**
 * Grows the tree over the whole sample; `columns` maps the sample's features to dataset
 * columns, which is what the flat tree records.
 */
export function growTree(
  sample: TreeSample,
  columns: readonly number[],
  rules: TreeRules,
  shares: ClassShares,
): FlatTree {
  const tree: FlatTree = { feature: [], threshold: [], left: [], right: [], value: [] };
  const counts = new Int32Array(sample.nClasses);
  const scratch = newSplitScratch(sample.nClasses, shares);
  const partitionScratch = new Int32Array(sample.nRows);
  const stack: PendingNode[] = [
    { start: 0, end: sample.nRows, depth: 0, parentGain: null, parent: -1, side: 'root' },
  ];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const id = addNode(tree, node);
    const { start, end, depth } = node;
    countClasses(sample, start, end, counts);
    const size = end - start;
    const split =
      size > rules.minNumSamples && depth < rules.maxDepth
        ? bestSplit(sample, start, end, counts, scratch)
        : undefined;
    if (
      !split ||
      !(split.gain > rules.gainThreshold) ||
      split.gain === node.parentGain ||
      split.lowerSize === 0 ||
      split.lowerSize === size
    ) {
      tree.value[id] = majority(counts);
      continue;
    }
    const lowerSize = partitionNode(
      sample,
      start,
      end,
      split.feature,
      split.threshold,
      partitionScratch,
    );
    const mid = start + lowerSize;
    tree.feature[id] = columns[split.feature] as number;
    tree.threshold[id] = split.threshold;
    const child = { depth: depth + 1, parentGain: split.gain, parent: id };
    stack.push({ ...child, start: mid, end, side: 'right' });
    stack.push({ ...child, start, end: mid, side: 'left' });
  }
  return tree;
}
