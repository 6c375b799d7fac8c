/**
 * ml-random-forest 2.1, kept as a devDependency only to check irisops' own forest against:
 * fitted with the options irisops used with it, its trees flattened as irisops' exporter
 * flattened them (dataset columns, pre-order, a leaf votes for its first largest share).
 */
import { RandomForestClassifier } from 'ml-random-forest';
import type { ForestParams } from '../../src/model/forest-spec.js';
import { appendBlankNode, type FlatTree } from '../../src/model/cart/tree.js';

/** The parts of an ml-cart tree node the flattening reads. */
interface CartNode {
  left?: CartNode;
  right?: CartNode;
  splitColumn?: number;
  splitValue?: number;
  distribution?: { to1DArray(): number[] };
}

interface LibraryForest {
  indexes: number[][];
  estimators: { root: CartNode }[];
  train(x: number[][], y: number[]): void;
  predict(x: number[][]): number[];
}

function firstLargest(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++)
    if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i;
  return best;
}

function flatten(root: CartNode, columns: number[]): FlatTree {
  const tree: FlatTree = { feature: [], threshold: [], left: [], right: [], value: [] };
  const visit = (node: CartNode): number => {
    const id = appendBlankNode(tree);
    if (
      node.left &&
      node.right &&
      node.splitColumn !== undefined &&
      node.splitValue !== undefined
    ) {
      tree.feature[id] = columns[node.splitColumn] ?? -1;
      tree.threshold[id] = node.splitValue;
      tree.left[id] = visit(node.left);
      tree.right[id] = visit(node.right);
    } else {
      tree.value[id] = firstLargest(node.distribution?.to1DArray() ?? [0]);
    }
    return id;
  };
  visit(root);
  return tree;
}

export interface LibraryFit {
  trees: FlatTree[];
  predict(x: number[][]): number[];
}

export function fitLibraryForest(x: number[][], y: number[], params: ForestParams): LibraryFit {
  const forest = new RandomForestClassifier({
    nEstimators: params.n_estimators,
    maxFeatures: params.max_features,
    replacement: false,
    seed: params.random_state,
    useSampleBagging: true,
    noOOB: true,
    treeOptions: { maxDepth: params.max_depth },
  }) as unknown as LibraryForest;
  forest.train(x, y);
  return {
    trees: forest.estimators.map((e, i) => flatten(e.root, forest.indexes[i] ?? [])),
    predict: (rows) => forest.predict(rows),
  };
}
