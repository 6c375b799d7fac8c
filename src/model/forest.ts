/**
 * Fits irisops' own random forest (src/model/cart/: ml-random-forest 2.1's algorithm,
 * reproduced tree for tree) and exports it to the model file: flat arrays per tree, split
 * features as dataset columns.
 */
import type { ModelFile } from '../schemas/types.js';
import { growForest } from './cart/random-forest.js';
import type { FlatTree } from './cart/tree.js';
import { checkMaxFeatures, forestLibrary, type ForestParams } from './forest-spec.js';
import { compilePredictor } from './predictor.js';

export interface TrainedForest {
  trees: FlatTree[];
}

export function fitForest(x: number[][], y: number[], params: ForestParams): TrainedForest {
  checkMaxFeatures(params.max_features, x[0]?.length ?? 0);
  return {
    trees: growForest(x, y, {
      nEstimators: params.n_estimators,
      maxFeatures: params.max_features,
      maxDepth: params.max_depth,
      seed: params.random_state,
    }),
  };
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
    library: forestLibrary(),
    feature_names: [...featureNames],
    class_labels: [...classLabels],
    params: { ...params },
    trees: forest.trees.map((tree) => ({
      feature: [...tree.feature],
      threshold: [...tree.threshold],
      left: [...tree.left],
      right: [...tree.right],
      value: [...tree.value],
    })),
  };
}

/** The class index each row gets, voted as irisops serve votes (model/predictor.ts). */
export function predictClasses(model: ModelFile, x: readonly (readonly number[])[]): number[] {
  const predictor = compilePredictor(model);
  const votes = new Int32Array(predictor.nClasses);
  return x.map((row) => predictor.predictInto(row, votes));
}
