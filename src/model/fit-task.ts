/**
 * The CPU-bound part of training, as plain data in and out so it can run in a worker
 * thread (src/model/fit-worker.ts): fit a forest on some rows, export it, predict others;
 * or score the folds of a cross-validation.
 */
import type { ModelFile } from '../schemas/types.js';
import type { Split } from '../data/split.js';
import { exportForest, fitForest, predictClasses } from './forest.js';
import type { ForestParams } from './forest-spec.js';
import { evaluate } from './metrics.js';

export interface FitData {
  x: number[][];
  y: number[];
  featureNames: readonly string[];
  classLabels: readonly string[];
}

export interface FitTask {
  kind: 'fit';
  data: FitData;
  params: ForestParams;
  split: Split;
}

export interface CrossValidateTask {
  kind: 'cv';
  data: FitData;
  params: ForestParams;
  folds: Split[];
}

export type Task = FitTask | CrossValidateTask;

export interface Fitted {
  model: ModelFile;
  /** predictions for split.test, in its order */
  predicted: number[];
  trainTimeMs: number;
}

function pick<T>(items: T[], idx: number[]): T[] {
  return idx.map((i) => items[i] as T);
}

export function runFit(task: FitTask): Fitted {
  const { data, params, split } = task;
  const start = performance.now();
  const forest = fitForest(pick(data.x, split.train), pick(data.y, split.train), params);
  const trainTimeMs = performance.now() - start;
  const model = exportForest(forest, params, data.featureNames, data.classLabels);
  return { model, predicted: predictClasses(model, pick(data.x, split.test)), trainTimeMs };
}

/** Accuracy of each fold, in fold order. */
export function runCrossValidate(task: CrossValidateTask): number[] {
  const { data, params } = task;
  return task.folds.map((fold) => {
    const forest = fitForest(pick(data.x, fold.train), pick(data.y, fold.train), params);
    const model = exportForest(forest, params, data.featureNames, data.classLabels);
    const predicted = predictClasses(model, pick(data.x, fold.test));
    return evaluate(pick(data.y, fold.test), predicted, data.classLabels).accuracy;
  });
}
