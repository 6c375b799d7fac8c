/**
 * Trains ml-random-forest and exports it to irisops' own model file: flat arrays per tree,
 * with split columns mapped back to dataset features (ml-random-forest draws a feature
 * subset per tree, and its trees index into that subset).
 */
import { RandomForestClassifier } from 'ml-random-forest';
import type { ModelFile } from '../schemas/types.js';
import { checkMaxFeatures, libraryVersion, type ForestParams } from './forest-spec.js';

/** The parts of an ml-cart tree node the exporter reads. */
interface CartNode {
  left?: CartNode;
  right?: CartNode;
  splitColumn?: number;
  splitValue?: number;
  distribution?: { to1DArray(): number[] };
}

interface TrainedForest {
  indexes: number[][];
  estimators: { root: CartNode }[];
  predict(x: number[][]): number[];
}

export function fitForest(x: number[][], y: number[], params: ForestParams): TrainedForest {
  checkMaxFeatures(params.max_features, x[0]?.length ?? 0);
  const forest = new RandomForestClassifier({
    nEstimators: params.n_estimators,
    maxFeatures: params.max_features,
    // without replacement: a tree never sees the same feature twice
    replacement: false,
    seed: params.random_state,
    useSampleBagging: true,
    noOOB: true,
    treeOptions: { maxDepth: params.max_depth },
  });
  forest.train(x, y);
  return forest as unknown as TrainedForest;
}

function argmax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++)
    if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i;
  return best;
}

type FlatTree = ModelFile['trees'][number];

function flattenTree(root: CartNode, columns: number[]): FlatTree {
  const tree = {
    feature: [] as number[],
    threshold: [] as number[],
    left: [] as number[],
    right: [] as number[],
    value: [] as number[],
  };
  const visit = (node: CartNode): number => {
    const id = tree.feature.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(-1);
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
      tree.value[id] = argmax(node.distribution?.to1DArray() ?? [0]);
    }
    return id;
  };
  visit(root);
  return tree;
}

export function exportForest(
  forest: TrainedForest,
  params: ForestParams,
  featureNames: readonly string[],
  classLabels: readonly string[],
): ModelFile {
  return {
    format: 'irisops-random-forest',
    format_version: 1,
    algorithm: 'random_forest_classifier',
    library: { name: 'ml-random-forest', version: libraryVersion() },
    feature_names: [...featureNames],
    class_labels: [...classLabels],
    params: { ...params },
    trees: forest.estimators.map((e, i) => flattenTree(e.root, forest.indexes[i] ?? [])),
  };
}
